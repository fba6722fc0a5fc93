export namespace main {
	
	export class AppInfo {
	    version: string;
	    databasePath: string;
	    databaseExists: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AppInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.databasePath = source["databasePath"];
	        this.databaseExists = source["databaseExists"];
	    }
	}

}

