package schedule

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var jobSpecs = []struct {
	name string
	spec Spec
}{
	{"Hours", Spec{Kind: Hours, EveryHours: 6, WhenClosed: true}},
	{"Daily", Spec{Kind: Daily, At: "07:30", WhenClosed: true}},
}

func testJob(spec Spec) Job {
	return Job{Name: "hubextract-refresh-123", Title: "HubSpot Extractor: refresh account 123 (100% sure)",
		Command: []string{"/bin/true", "extract", "--account", "123", "--scheduled", "--base-url", "http://127.0.0.1:1/a b"},
		Env:     map[string]string{"HUBEXTRACT_CONFIG_DIR": "/tmp/it's here"}, Spec: spec}
}

// The units pass systemd-analyze verify, and say what runs when.
func TestSystemdUnitsVerify(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	for _, tc := range jobSpecs {
		t.Run(tc.name, func(t *testing.T) {
			j := testJob(tc.spec)
			service, timer, err := j.SystemdUnits()
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			sp, tp := filepath.Join(dir, j.Name+".service"), filepath.Join(dir, j.Name+".timer")
			if err := os.WriteFile(sp, []byte(service), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(tp, []byte(timer), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("systemd-analyze", "verify", sp, tp).CombinedOutput()
			if err != nil || len(bytes.TrimSpace(out)) > 0 {
				t.Errorf("systemd-analyze verify: %v\n%s\n--- service\n%s--- timer\n%s", err, out, service, timer)
			}
			if !strings.Contains(timer, "Persistent=true") {
				t.Errorf("timer without Persistent=true:\n%s", timer)
			}
			wantCal := map[string]string{"Hours": "OnCalendar=*:0/15", "Daily": "OnCalendar=*-*-* 07:30:00"}[tc.name]
			if !strings.Contains(timer, wantCal+"\n") {
				t.Errorf("timer lacks %q:\n%s", wantCal, timer)
			}
			if !strings.Contains(service, `Environment="HUBEXTRACT_CONFIG_DIR=/tmp/it's here"`) ||
				!strings.Contains(service, `"http://127.0.0.1:1/a b"`) {
				t.Errorf("service:\n%s", service)
			}
		})
	}
}

// The crontab line is found again: put in once, replaced, and removed
// leaving the user's own lines as they were.
func TestCrontabEdit(t *testing.T) {
	j := testJob(Spec{Kind: Daily, At: "07:30"})
	user := "MAILTO=me\n0 1 * * * backup # mine\n"
	withJob, err := j.WithCrontabLine(user)
	if err != nil {
		t.Fatal(err)
	}
	line, _ := j.CrontabLine()
	if withJob != user+line+"\n" || !strings.HasPrefix(line, "30 7 * * * HUBEXTRACT_CONFIG_DIR='/tmp/it'\\''s here' '/bin/true' 'extract' '--account' '123'") {
		t.Errorf("with job:\n%s", withJob)
	}
	pct := j
	pct.Command = []string{"/bin/echo", "50%"}
	if l, _ := pct.CrontabLine(); !strings.Contains(l, `'50\%'`) {
		t.Errorf("cron reads %% as a line break, unescaped in %q", l)
	}
	j.Spec = Spec{Kind: Hours, EveryHours: 2}
	replaced, err := j.WithCrontabLine(withJob)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(replaced, "# hubextract:") != 1 || !strings.Contains(replaced, "*/15 * * * * ") {
		t.Errorf("replaced:\n%s", replaced)
	}
	if got := j.WithoutCrontabLine(replaced); got != user {
		t.Errorf("removed:\n%q\nwant %q", got, user)
	}
	if got := j.WithoutCrontabLine(line + "\n"); got != "" {
		t.Errorf("removing the only line left %q", got)
	}
}

// The Task Scheduler XML parses back as a task with the trigger, the
// catch-up setting and the command.
func TestTaskSchedulerXML(t *testing.T) {
	type task struct {
		XMLName  xml.Name `xml:"http://schemas.microsoft.com/windows/2004/02/mit/task Task"`
		Calendar *struct {
			Start string `xml:"StartBoundary"`
			Days  int    `xml:"ScheduleByDay>DaysInterval"`
		} `xml:"Triggers>CalendarTrigger"`
		Time *struct {
			Interval string `xml:"Repetition>Interval"`
		} `xml:"Triggers>TimeTrigger"`
		StartWhenAvailable bool   `xml:"Settings>StartWhenAvailable"`
		Multiple           string `xml:"Settings>MultipleInstancesPolicy"`
		Command            string `xml:"Actions>Exec>Command"`
		Arguments          string `xml:"Actions>Exec>Arguments"`
	}
	for _, tc := range jobSpecs {
		t.Run(tc.name, func(t *testing.T) {
			x, err := testJob(tc.spec).TaskSchedulerXML()
			if err != nil {
				t.Fatal(err)
			}
			dec := xml.NewDecoder(strings.NewReader(x))
			dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // the string is UTF-8 until written
			var got task
			if err := dec.Decode(&got); err != nil {
				t.Fatalf("%v\n%s", err, x)
			}
			if !got.StartWhenAvailable || got.Multiple != "IgnoreNew" || got.Command != "/bin/true" ||
				got.Arguments != `extract --account 123 --scheduled --base-url "http://127.0.0.1:1/a b"` {
				t.Errorf("task = %+v", got)
			}
			switch tc.name {
			case "Daily":
				if got.Calendar == nil || got.Calendar.Start != "2000-01-01T07:30:00" || got.Calendar.Days != 1 {
					t.Errorf("daily trigger = %+v", got.Calendar)
				}
			case "Hours":
				if got.Time == nil || got.Time.Interval != "PT15M" {
					t.Errorf("time trigger = %+v", got.Time)
				}
			}
		})
	}
}

// The launchd plist parses back as a property list with the label, the
// arguments, the environment and the schedule.
func TestLaunchdPlist(t *testing.T) {
	for _, tc := range jobSpecs {
		t.Run(tc.name, func(t *testing.T) {
			j := testJob(tc.spec)
			p, err := j.LaunchdPlist()
			if err != nil {
				t.Fatal(err)
			}
			got := parsePlist(t, p)
			if got["Label"] != j.LaunchdLabel() || !slices.Equal(got["ProgramArguments"].([]any), toAny(j.Command)) {
				t.Errorf("plist = %v", got)
			}
			if env := got["EnvironmentVariables"].(map[string]any); env["HUBEXTRACT_CONFIG_DIR"] != "/tmp/it's here" {
				t.Errorf("environment = %v", env)
			}
			switch tc.name {
			case "Daily":
				cal := got["StartCalendarInterval"].(map[string]any)
				if cal["Hour"] != "7" || cal["Minute"] != "30" {
					t.Errorf("calendar = %v", cal)
				}
			case "Hours":
				if got["StartInterval"] != "900" {
					t.Errorf("interval = %v", got["StartInterval"])
				}
			}
		})
	}
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// parsePlist reads a property list's top dict: strings and integers as
// strings, arrays as []any, dicts as map[string]any, booleans as bool.
func parsePlist(t *testing.T, s string) map[string]any {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	var value func(start xml.StartElement) any
	value = func(start xml.StartElement) any {
		switch start.Name.Local {
		case "string", "integer":
			var v string
			if err := dec.DecodeElement(&v, &start); err != nil {
				t.Fatal(err)
			}
			return v
		case "true", "false":
			_ = dec.Skip()
			return start.Name.Local == "true"
		}
		var arr []any
		dict := map[string]any{}
		key := ""
		for {
			tok, err := dec.Token()
			if err != nil {
				t.Fatalf("plist: %v", err)
			}
			switch el := tok.(type) {
			case xml.StartElement:
				if el.Name.Local == "key" {
					if err := dec.DecodeElement(&key, &el); err != nil {
						t.Fatal(err)
					}
					continue
				}
				v := value(el)
				if start.Name.Local == "array" {
					arr = append(arr, v)
				} else {
					dict[key] = v
				}
			case xml.EndElement:
				if start.Name.Local == "array" {
					return arr
				}
				return dict
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("plist without a dict: %v\n%s", err, s)
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "dict" {
			return value(el).(map[string]any)
		}
	}
}

// Where there is no crontab (and no systemd user manager), removing a job
// is no error (none can be installed), and installing one says why not.
func TestNoCrontab(t *testing.T) {
	if _, err := exec.Command("systemctl", "--user", "is-system-running").Output(); err == nil {
		t.Skip("a systemd user manager runs here")
	}
	t.Setenv("PATH", t.TempDir()) // no crontab, no systemctl
	in := Installer{GOOS: "linux", Home: t.TempDir()}
	j := testJob(Spec{Kind: Daily, At: "07:30"})
	if kind, err := in.Remove(t.Context(), j); err != nil || kind != KindCrontab {
		t.Errorf("Remove = %s, %v; want crontab, nil", kind, err)
	}
	if _, err := in.Install(t.Context(), j); !errors.Is(err, ErrNoScheduler) {
		t.Errorf("Install = %v; want ErrNoScheduler", err)
	}
	if in.Installed(t.Context(), j) {
		t.Error("Installed with no crontab")
	}
}
