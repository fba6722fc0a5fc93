export namespace extract {
	
	export class TypeEstimate {
	    type: string;
	    label: string;
	    records: number;
	    calls: number;
	    exempt: number;
	    basis: string;
	
	    static createFrom(source: any = {}) {
	        return new TypeEstimate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.label = source["label"];
	        this.records = source["records"];
	        this.calls = source["calls"];
	        this.exempt = source["exempt"];
	        this.basis = source["basis"];
	    }
	}
	export class Estimate {
	    calls: number;
	    seconds: number;
	    economy: string;
	    split: Record<string, number>;
	    ratePer10s: number;
	    types: TypeEstimate[];
	    complete: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Estimate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.calls = source["calls"];
	        this.seconds = source["seconds"];
	        this.economy = source["economy"];
	        this.split = source["split"];
	        this.ratePer10s = source["ratePer10s"];
	        this.types = this.convertValues(source["types"], TypeEstimate);
	        this.complete = source["complete"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Offer {
	    runId: number;
	    startedAt: string;
	    status: string;
	    objects: string[];
	    records: number;
	    crashed: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Offer(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runId = source["runId"];
	        this.startedAt = source["startedAt"];
	        this.status = source["status"];
	        this.objects = source["objects"];
	        this.records = source["records"];
	        this.crashed = source["crashed"];
	    }
	}

}

export namespace main {
	
	export class AppInfo {
	    version: string;
	    databasePath: string;
	    databaseExists: boolean;
	    startScreen: string;
	
	    static createFrom(source: any = {}) {
	        return new AppInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.databasePath = source["databasePath"];
	        this.databaseExists = source["databaseExists"];
	        this.startScreen = source["startScreen"];
	    }
	}

}

export namespace schedule {
	
	export class Spec {
	    kind: string;
	    every_hours?: number;
	    at?: string;
	    when_closed?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Spec(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.every_hours = source["every_hours"];
	        this.at = source["at"];
	        this.when_closed = source["when_closed"];
	    }
	}

}

export namespace settings {
	
	export class Settings {
	    rate_per_10s: number;
	    search_rate: number;
	    concurrency: number;
	    database_path: string;
	    full_run_every_days: number;
	    source: string;
	    objects: string[];
	    api_version: string;
	    history_types: string[];
	    economy: string;
	    team_db_url?: string;
	    team_db_schema?: string;
	    team_db_sync_after_run?: boolean;
	    format?: number;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rate_per_10s = source["rate_per_10s"];
	        this.search_rate = source["search_rate"];
	        this.concurrency = source["concurrency"];
	        this.database_path = source["database_path"];
	        this.full_run_every_days = source["full_run_every_days"];
	        this.source = source["source"];
	        this.objects = source["objects"];
	        this.api_version = source["api_version"];
	        this.history_types = source["history_types"];
	        this.economy = source["economy"];
	        this.team_db_url = source["team_db_url"];
	        this.team_db_schema = source["team_db_schema"];
	        this.team_db_sync_after_run = source["team_db_sync_after_run"];
	        this.format = source["format"];
	    }
	}
	export class TokenStatus {
	    saved: boolean;
	    where: string;
	    less_protected: boolean;
	    file_path?: string;
	    keychain_problem?: string;
	
	    static createFrom(source: any = {}) {
	        return new TokenStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.saved = source["saved"];
	        this.where = source["where"];
	        this.less_protected = source["less_protected"];
	        this.file_path = source["file_path"];
	        this.keychain_problem = source["keychain_problem"];
	    }
	}

}

export namespace workspace {
	
	export class APIVersionChoice {
	    value: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new APIVersionChoice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.value = source["value"];
	        this.label = source["label"];
	    }
	}
	export class Account {
	    portalId: number;
	    name: string;
	    timeZone: string;
	    accountType: string;
	    currency: string;
	    uiDomain: string;
	    dataHosting: string;
	
	    static createFrom(source: any = {}) {
	        return new Account(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.portalId = source["portalId"];
	        this.name = source["name"];
	        this.timeZone = source["timeZone"];
	        this.accountType = source["accountType"];
	        this.currency = source["currency"];
	        this.uiDomain = source["uiDomain"];
	        this.dataHosting = source["dataHosting"];
	    }
	}
	export class AccountInfo {
	    id: number;
	    name: string;
	    label: string;
	    database: string;
	    current: boolean;
	    schedule: schedule.Spec;
	    scheduleText: string;
	    jobInstalled: boolean;
	    jobKind: string;
	
	    static createFrom(source: any = {}) {
	        return new AccountInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.label = source["label"];
	        this.database = source["database"];
	        this.current = source["current"];
	        this.schedule = this.convertValues(source["schedule"], schedule.Spec);
	        this.scheduleText = source["scheduleText"];
	        this.jobInstalled = source["jobInstalled"];
	        this.jobKind = source["jobKind"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Accounts {
	    list: AccountInfo[];
	    sample: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Accounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.list = this.convertValues(source["list"], AccountInfo);
	        this.sample = source["sample"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Ref {
	    type: string;
	    id: string;
	    title: string;
	    stored: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Ref(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.id = source["id"];
	        this.title = source["title"];
	        this.stored = source["stored"];
	    }
	}
	export class Association {
	    type: string;
	    label: string;
	    total: number;
	    records: Ref[];
	
	    static createFrom(source: any = {}) {
	        return new Association(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.label = source["label"];
	        this.total = source["total"];
	        this.records = this.convertValues(source["records"], Ref);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Change {
	    value: string;
	    raw: string;
	    at: string;
	    source: string;
	    sourceType: string;
	
	    static createFrom(source: any = {}) {
	        return new Change(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.value = source["value"];
	        this.raw = source["raw"];
	        this.at = source["at"];
	        this.source = source["source"];
	        this.sourceType = source["sourceType"];
	    }
	}
	export class Column {
	    name: string;
	    label: string;
	    default: boolean;
	    sensitivity: string;
	
	    static createFrom(source: any = {}) {
	        return new Column(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.label = source["label"];
	        this.default = source["default"];
	        this.sensitivity = source["sensitivity"];
	    }
	}
	export class TypeAccess {
	    type: string;
	    label: string;
	    readable: boolean;
	    scope: string;
	    problem: string;
	
	    static createFrom(source: any = {}) {
	        return new TypeAccess(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.label = source["label"];
	        this.readable = source["readable"];
	        this.scope = source["scope"];
	        this.problem = source["problem"];
	    }
	}
	export class ScopeCheck {
	    scope: string;
	    reads: string;
	    granted: boolean;
	    problem: string;
	
	    static createFrom(source: any = {}) {
	        return new ScopeCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.scope = source["scope"];
	        this.reads = source["reads"];
	        this.granted = source["granted"];
	        this.problem = source["problem"];
	    }
	}
	export class Connection {
	    ok: boolean;
	    message: string;
	    account?: Account;
	    accountScope: string;
	    scopes: ScopeCheck[];
	    missing: string[];
	    types: TypeAccess[];
	    token: settings.TokenStatus;
	
	    static createFrom(source: any = {}) {
	        return new Connection(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.message = source["message"];
	        this.account = this.convertValues(source["account"], Account);
	        this.accountScope = source["accountScope"];
	        this.scopes = this.convertValues(source["scopes"], ScopeCheck);
	        this.missing = source["missing"];
	        this.types = this.convertValues(source["types"], TypeAccess);
	        this.token = this.convertValues(source["token"], settings.TokenStatus);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Cursor {
	    updatedAt: number;
	    id: string;
	    undated: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Cursor(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.updatedAt = source["updatedAt"];
	        this.id = source["id"];
	        this.undated = source["undated"];
	    }
	}
	export class Database {
	    path: string;
	    origin: string;
	    exists: boolean;
	    bytes: number;
	
	    static createFrom(source: any = {}) {
	        return new Database(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.origin = source["origin"];
	        this.exists = source["exists"];
	        this.bytes = source["bytes"];
	    }
	}
	export class Property {
	    name: string;
	    label: string;
	    value: string;
	    raw: string;
	    html: boolean;
	    sensitivity: string;
	    history: number;
	
	    static createFrom(source: any = {}) {
	        return new Property(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.label = source["label"];
	        this.value = source["value"];
	        this.raw = source["raw"];
	        this.html = source["html"];
	        this.sensitivity = source["sensitivity"];
	        this.history = source["history"];
	    }
	}
	export class Detail {
	    type: string;
	    typeLabel: string;
	    typeSingular: string;
	    id: string;
	    title: string;
	    createdAt: string;
	    updatedAt: string;
	    archived: boolean;
	    properties: Property[];
	    associations: Association[];
	
	    static createFrom(source: any = {}) {
	        return new Detail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.typeLabel = source["typeLabel"];
	        this.typeSingular = source["typeSingular"];
	        this.id = source["id"];
	        this.title = source["title"];
	        this.createdAt = source["createdAt"];
	        this.updatedAt = source["updatedAt"];
	        this.archived = source["archived"];
	        this.properties = this.convertValues(source["properties"], Property);
	        this.associations = this.convertValues(source["associations"], Association);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RunCount {
	    runId: number;
	    startedAt: string;
	    status: string;
	    records: number[];
	
	    static createFrom(source: any = {}) {
	        return new RunCount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runId = source["runId"];
	        this.startedAt = source["startedAt"];
	        this.status = source["status"];
	        this.records = source["records"];
	    }
	}
	export class EngagementChart {
	    types: string[];
	    labels: string[];
	    stored: number[];
	    runs: RunCount[];
	
	    static createFrom(source: any = {}) {
	        return new EngagementChart(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.types = source["types"];
	        this.labels = source["labels"];
	        this.stored = source["stored"];
	        this.runs = this.convertValues(source["runs"], RunCount);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ExportFile {
	    type: string;
	    label: string;
	    path: string;
	    rows: number;
	
	    static createFrom(source: any = {}) {
	        return new ExportFile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.label = source["label"];
	        this.path = source["path"];
	        this.rows = source["rows"];
	    }
	}
	export class ExportRequest {
	    type: string;
	    path: string;
	    labels: boolean;
	    associations: boolean;
	    excel: boolean;
	    includeSensitive: boolean;
	    replace: boolean;
	    format?: string;
	
	    static createFrom(source: any = {}) {
	        return new ExportRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.path = source["path"];
	        this.labels = source["labels"];
	        this.associations = source["associations"];
	        this.excel = source["excel"];
	        this.includeSensitive = source["includeSensitive"];
	        this.replace = source["replace"];
	        this.format = source["format"];
	    }
	}
	export class ExportResult {
	    files: ExportFile[];
	    folder: string;
	    rows: number;
	    cancelled: boolean;
	    existing: string[];
	
	    static createFrom(source: any = {}) {
	        return new ExportResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.files = this.convertValues(source["files"], ExportFile);
	        this.folder = source["folder"];
	        this.rows = source["rows"];
	        this.cancelled = source["cancelled"];
	        this.existing = source["existing"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ExtractRequest {
	    objects: string[];
	    fresh: boolean;
	    full: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ExtractRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.objects = source["objects"];
	        this.fresh = source["fresh"];
	        this.full = source["full"];
	    }
	}
	export class TypeChoice {
	    type: string;
	    label: string;
	    stored: number;
	    lastRun: number;
	    selected: boolean;
	    unavailable: boolean;
	    scope: string;
	
	    static createFrom(source: any = {}) {
	        return new TypeChoice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.label = source["label"];
	        this.stored = source["stored"];
	        this.lastRun = source["lastRun"];
	        this.selected = source["selected"];
	        this.unavailable = source["unavailable"];
	        this.scope = source["scope"];
	    }
	}
	export class Group {
	    id: string;
	    label: string;
	    types: TypeChoice[];
	
	    static createFrom(source: any = {}) {
	        return new Group(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.label = source["label"];
	        this.types = this.convertValues(source["types"], TypeChoice);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LogLine {
	    time: string;
	    stream: string;
	    level: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new LogLine(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.time = source["time"];
	        this.stream = source["stream"];
	        this.level = source["level"];
	        this.message = source["message"];
	    }
	}
	export class Overall {
	    records: number;
	    total: number;
	    calls: number;
	    percent: number;
	    etaSeconds: number;
	    done: number;
	    streams: number;
	
	    static createFrom(source: any = {}) {
	        return new Overall(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.records = source["records"];
	        this.total = source["total"];
	        this.calls = source["calls"];
	        this.percent = source["percent"];
	        this.etaSeconds = source["etaSeconds"];
	        this.done = source["done"];
	        this.streams = source["streams"];
	    }
	}
	export class Stream {
	    stream: string;
	    label: string;
	    status: string;
	    records: number;
	    failed: number;
	    apiCalls: number;
	    pages: number;
	    retries: number;
	    seconds: number;
	    hubspotTotal: number;
	    error: string;
	    scope: string;
	
	    static createFrom(source: any = {}) {
	        return new Stream(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.stream = source["stream"];
	        this.label = source["label"];
	        this.status = source["status"];
	        this.records = source["records"];
	        this.failed = source["failed"];
	        this.apiCalls = source["apiCalls"];
	        this.pages = source["pages"];
	        this.retries = source["retries"];
	        this.seconds = source["seconds"];
	        this.hubspotTotal = source["hubspotTotal"];
	        this.error = source["error"];
	        this.scope = source["scope"];
	    }
	}
	export class Run {
	    id: number;
	    startedAt: string;
	    finishedAt: string;
	    seconds: number;
	    status: string;
	    mode: string;
	    trigger: string;
	    objects: string[];
	    records: number;
	    apiCalls: number;
	    retries: number;
	    error: string;
	    warnings: string[];
	    streams: Stream[];
	
	    static createFrom(source: any = {}) {
	        return new Run(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.startedAt = source["startedAt"];
	        this.finishedAt = source["finishedAt"];
	        this.seconds = source["seconds"];
	        this.status = source["status"];
	        this.mode = source["mode"];
	        this.trigger = source["trigger"];
	        this.objects = source["objects"];
	        this.records = source["records"];
	        this.apiCalls = source["apiCalls"];
	        this.retries = source["retries"];
	        this.error = source["error"];
	        this.warnings = source["warnings"];
	        this.streams = this.convertValues(source["streams"], Stream);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TypeCount {
	    type: string;
	    label: string;
	    group: string;
	    groupLabel: string;
	    active: number;
	    archived: number;
	
	    static createFrom(source: any = {}) {
	        return new TypeCount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.label = source["label"];
	        this.group = source["group"];
	        this.groupLabel = source["groupLabel"];
	        this.active = source["active"];
	        this.archived = source["archived"];
	    }
	}
	export class Overview {
	    counts: TypeCount[];
	    engagements: EngagementChart;
	    lastSuccess: string;
	    lastRun?: Run;
	    database: Database;
	
	    static createFrom(source: any = {}) {
	        return new Overview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.counts = this.convertValues(source["counts"], TypeCount);
	        this.engagements = this.convertValues(source["engagements"], EngagementChart);
	        this.lastSuccess = source["lastSuccess"];
	        this.lastRun = this.convertValues(source["lastRun"], Run);
	        this.database = this.convertValues(source["database"], Database);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Row {
	    id: string;
	    title: string;
	    cells: string[];
	    archived: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Row(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.cells = source["cells"];
	        this.archived = source["archived"];
	    }
	}
	export class Page {
	    type: string;
	    columns: Column[];
	    rows: Row[];
	    next?: Cursor;
	
	    static createFrom(source: any = {}) {
	        return new Page(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.columns = this.convertValues(source["columns"], Column);
	        this.rows = this.convertValues(source["rows"], Row);
	        this.next = this.convertValues(source["next"], Cursor);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PageQuery {
	    type: string;
	    search: string;
	    columns: string[];
	    limit: number;
	    after?: Cursor;
	
	    static createFrom(source: any = {}) {
	        return new PageQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.search = source["search"];
	        this.columns = source["columns"];
	        this.limit = source["limit"];
	        this.after = this.convertValues(source["after"], Cursor);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Reconciled {
	    type: string;
	    label: string;
	    hubspot: number;
	    stored: number;
	    status: string;
	
	    static createFrom(source: any = {}) {
	        return new Reconciled(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.label = source["label"];
	        this.hubspot = source["hubspot"];
	        this.stored = source["stored"];
	        this.status = source["status"];
	    }
	}
	
	
	
	
	
	export class SkippedSlot {
	    at: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new SkippedSlot(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = source["at"];
	        this.reason = source["reason"];
	    }
	}
	export class Summary {
	    run: Run;
	    minimumCalls: number;
	    exemptCalls: number;
	    floorSeconds: number;
	    resumedFrom: number;
	    reconciliation: Reconciled[];
	
	    static createFrom(source: any = {}) {
	        return new Summary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.run = this.convertValues(source["run"], Run);
	        this.minimumCalls = source["minimumCalls"];
	        this.exemptCalls = source["exemptCalls"];
	        this.floorSeconds = source["floorSeconds"];
	        this.resumedFrom = source["resumedFrom"];
	        this.reconciliation = this.convertValues(source["reconciliation"], Reconciled);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class StreamProgress {
	    stream: string;
	    label: string;
	    phase: string;
	    records: number;
	    total: number;
	    calls: number;
	    rate: number;
	    etaSeconds: number;
	    percent: number;
	    final: boolean;
	
	    static createFrom(source: any = {}) {
	        return new StreamProgress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.stream = source["stream"];
	        this.label = source["label"];
	        this.phase = source["phase"];
	        this.records = source["records"];
	        this.total = source["total"];
	        this.calls = source["calls"];
	        this.rate = source["rate"];
	        this.etaSeconds = source["etaSeconds"];
	        this.percent = source["percent"];
	        this.final = source["final"];
	    }
	}
	export class Update {
	    streams: StreamProgress[];
	    overall: Overall;
	    logs: LogLine[];
	
	    static createFrom(source: any = {}) {
	        return new Update(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.streams = this.convertValues(source["streams"], StreamProgress);
	        this.overall = this.convertValues(source["overall"], Overall);
	        this.logs = this.convertValues(source["logs"], LogLine);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Snapshot {
	    running: boolean;
	    update: Update;
	    summary?: Summary;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new Snapshot(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.update = this.convertValues(source["update"], Update);
	        this.summary = this.convertValues(source["summary"], Summary);
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Status {
	    source: string;
	    connected: boolean;
	    token: settings.TokenStatus;
	    database: Database;
	    userDatabase: Database;
	    settingsWarning: string;
	    extracting: boolean;
	    exporting: boolean;
	    logFile: string;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.source = source["source"];
	        this.connected = source["connected"];
	        this.token = this.convertValues(source["token"], settings.TokenStatus);
	        this.database = this.convertValues(source["database"], Database);
	        this.userDatabase = this.convertValues(source["userDatabase"], Database);
	        this.settingsWarning = source["settingsWarning"];
	        this.extracting = source["extracting"];
	        this.exporting = source["exporting"];
	        this.logFile = source["logFile"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	export class TeamDBSync {
	    // Go type: time
	    at: any;
	    target: string;
	    schema: string;
	    changes: number;
	    rows: number;
	    seconds: number;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new TeamDBSync(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = this.convertValues(source["at"], null);
	        this.target = source["target"];
	        this.schema = source["schema"];
	        this.changes = source["changes"];
	        this.rows = source["rows"];
	        this.seconds = source["seconds"];
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TeamDatabase {
	    url: string;
	    schema: string;
	    syncAfterRun: boolean;
	    passwordSaved: boolean;
	    passwordWhere: string;
	    running: boolean;
	    last?: TeamDBSync;
	
	    static createFrom(source: any = {}) {
	        return new TeamDatabase(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.schema = source["schema"];
	        this.syncAfterRun = source["syncAfterRun"];
	        this.passwordSaved = source["passwordSaved"];
	        this.passwordWhere = source["passwordWhere"];
	        this.running = source["running"];
	        this.last = this.convertValues(source["last"], TeamDBSync);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TeamDatabaseRequest {
	    url: string;
	    password: string;
	    schema: string;
	    syncAfterRun: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TeamDatabaseRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.password = source["password"];
	        this.schema = source["schema"];
	        this.syncAfterRun = source["syncAfterRun"];
	    }
	}
	
	
	
	export class TypeInfo {
	    type: string;
	    label: string;
	    group: string;
	    rows: number;
	
	    static createFrom(source: any = {}) {
	        return new TypeInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.label = source["label"];
	        this.group = source["group"];
	        this.rows = source["rows"];
	    }
	}

}

