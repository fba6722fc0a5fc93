package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"hubextract/backend/catalog"
	"hubextract/backend/export"
	"hubextract/backend/store"
)

const exportUsage = "hubextract export [--db PATH] [--account NAME_OR_ID] --object TYPE [--out FILE|-] [--force] [--labels] [--no-associations] [--form ID] [--bom] [--include-sensitive] [--history] [--format csv|parquet]\n" +
	"       hubextract export [--db PATH] [--account NAME_OR_ID] --all --dir DIR [--force] [--labels] [--no-associations] [--form ID] [--bom] [--include-sensitive] [--history] [--format csv|parquet]\n\n" +
	"It writes only regular files: a folder, a symbolic link or a device given as --out (or found under a\n" +
	"TYPE.csv name in --dir) is refused before anything is written, and a file already there is replaced\n" +
	"only with --force. A file is written complete under a temporary name, then put in place.\n" +
	"Properties HubSpot marks sensitive or highly sensitive are left out unless --include-sensitive.\n" +
	"--history writes the property history instead (extracted with extract --history): one row per value a\n" +
	"property had (type, id, property, value, timestamp, source); --all writes TYPE_history.csv per type that has it.\n" +
	"--format parquet writes CRM records as Parquet (typed columns, TYPE.parquet with --all) for DuckDB, pandas, BigQuery."

func init() {
	register(command{
		name:    "export",
		summary: "write the stored data of a type, or of every type, as CSV",
		usage:   exportUsage,
		run:     runExport,
	})
}

type exportFlags struct {
	db, object, out, dir, form       string
	all, labels, noAssociations, bom bool
	force, includeSensitive, history bool
	format                           string
}

func runExport(ctx context.Context, env *Env, args []string) int {
	fs := env.newFlagSet("export", exportUsage)
	var f exportFlags
	dbPath := env.dbFlag(fs)
	fs.StringVar(&f.object, "object", "", "object `type` to export: "+strings.Join(catalog.All(), ", "))
	fs.StringVar(&f.out, "out", "-", "CSV `file` to write (- for standard output); an existing file only with --force")
	fs.BoolVar(&f.force, "force", false, "replace existing CSV files (--out, or TYPE.csv in --dir); never a folder, link or device")
	fs.BoolVar(&f.all, "all", false, "export every type that has data into --dir, one TYPE.csv each")
	fs.StringVar(&f.dir, "dir", "", "`folder` for --all")
	fs.BoolVar(&f.labels, "labels", false, "property labels as headers; option, owner, pipeline and stage labels as values")
	fs.BoolVar(&f.noAssociations, "no-associations", false, "leave out the associated_<type> columns")
	fs.StringVar(&f.form, "form", "", "form_submissions of this form `id` only")
	fs.BoolVar(&f.bom, "bom", false, "start with a UTF-8 byte-order mark, for Excel on Windows")
	fs.BoolVar(&f.includeSensitive, "include-sensitive", false,
		"also write the properties HubSpot marks sensitive or highly sensitive (left out by default)")
	fs.BoolVar(&f.history, "history", false,
		"write the property history instead of the records: one row per value a property had (type, id, property, value, timestamp, source)")
	fs.StringVar(&f.format, "format", export.FormatCSV, "`csv` or parquet (CRM records only: typed columns, raw values)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	f.db = *dbPath
	if msg := f.check(fs); msg != "" {
		fmt.Fprintf(env.Stderr, "hubextract export: %s\n", msg)
		fs.Usage()
		return exitUsage
	}

	path, err := resolveExisting(env, "export", f.db)
	if err != nil {
		return exportFailed(ctx, env, err)
	}
	db, err := openReadOnly(ctx, path)
	if err != nil {
		return exportFailed(ctx, env, err)
	}
	defer db.Close()

	opts := export.Options{
		Type:           f.object,
		Labels:         f.labels,
		NoAssociations: f.noAssociations,
		FormID:         f.form,
		BOM:            f.bom,
		// Sensitive values leave the database only when asked for.
		IncludeSensitive: f.includeSensitive,
		History:          f.history,
		Format:           f.format,
	}
	switch {
	case f.all:
		err = exportAll(ctx, env, db, f.dir, f.force, opts)
	case f.out == "-":
		out := bufio.NewWriterSize(env.Stdout, 64<<10)
		_, err = export.Write(ctx, db, out, opts)
		err = errors.Join(err, out.Flush())
	default:
		var n int64
		if n, err = export.ToFile(ctx, db, f.out, f.force, opts); err == nil {
			what := f.object
			if f.history {
				what += " history"
			}
			fmt.Fprintf(env.Stderr, "exported %d %s rows to %s\n", n, what, f.out)
		}
	}
	if err != nil {
		return exportFailed(ctx, env, err)
	}
	return exitOK
}

// exportFailed reports err in one line and returns the exit code.
func exportFailed(ctx context.Context, env *Env, err error) int {
	if ctx.Err() != nil {
		fmt.Fprintln(env.Stderr, "hubextract export: interrupted")
		return exitInterrupted
	}
	if errors.Is(err, export.ErrExists) {
		err = fmt.Errorf("%w; pass --force to replace", err)
	}
	fmt.Fprintf(env.Stderr, "hubextract export: %v\n", err)
	return exitFailure
}

// check returns what is wrong with the flags as a one-line reason, or "".
func (f *exportFlags) check(fs *flag.FlagSet) string {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	switch {
	case fs.NArg() > 0:
		return fmt.Sprintf("unexpected argument %q", fs.Arg(0))
	case f.all && set["object"]:
		return "use --object or --all, not both"
	case f.all && f.dir == "":
		return "--all needs --dir DIR"
	case f.all && set["out"]:
		return "--out does not go with --all (it writes TYPE.csv files into --dir)"
	case f.format != export.FormatCSV && f.format != export.FormatParquet:
		return fmt.Sprintf("--format is csv or parquet, not %q", f.format)
	case f.format == export.FormatParquet && (f.labels || f.bom || f.history || f.form != ""):
		return "--labels, --bom, --history and --form go with CSV; --format parquet writes raw, typed values"
	case f.format == export.FormatParquet && !f.all && catalog.Valid(f.object) && !catalog.IsCRM(f.object):
		return "--format parquet writes CRM records (" + strings.Join(catalog.CRM(), ", ") + "); " + f.object + " is CSV only"
	case f.history && f.form != "":
		return "--form does not go with --history (forms have no property history)"
	case f.all:
		return ""
	case set["dir"]:
		return "--dir goes with --all; use --out FILE for one type"
	case f.object == "":
		return "--object TYPE is required (or --all --dir DIR); TYPE is one of " + strings.Join(catalog.All(), ", ")
	case !catalog.Valid(f.object):
		return (&catalog.UnknownTypeError{Name: f.object}).Error()
	case f.history && !catalog.IsCRM(f.object):
		return "--history goes with a CRM type (" + strings.Join(catalog.CRM(), ", ") + "): only records have a property history"
	case f.form != "" && f.object != catalog.FormSubmissions:
		return "--form goes with --object " + catalog.FormSubmissions
	case f.out == "":
		return "--out needs a file name, or - for standard output"
	case f.force && f.out == "-":
		return "--force goes with --out FILE or --all --dir DIR"
	}
	return ""
}

func exportAll(ctx context.Context, env *Env, db *store.DB, dir string, force bool, opts export.Options) error {
	files, err := export.All(ctx, db, dir, force, opts)
	for _, f := range files {
		fmt.Fprintf(env.Stdout, "%-16s %10d rows  %s\n", f.Type, f.Rows, f.Path)
	}
	if err == nil && len(files) == 0 && opts.History {
		fmt.Fprintf(env.Stderr, "nothing to export: the database at %s holds no property history (extract --history TYPES reads it)\n", db.Path())
	} else if err == nil && len(files) == 0 {
		fmt.Fprintf(env.Stderr, "nothing to export: the database at %s holds no data yet\n", db.Path())
	}
	return err
}
