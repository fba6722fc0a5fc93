package schedule

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Job is a user-level scheduled job that runs a refresh while the app is
// closed: Command (the program and its arguments, the program by its full
// path) on Spec's schedule, with Env set.
//
// An every-N-hours job fires every quarter of an hour and the command itself
// decides whether a refresh is due (it knows the last run, whoever started
// it); a daily job fires at its time. Either way a slot missed while the
// computer slept runs once when it wakes (systemd's Persistent=, Task
// Scheduler's StartWhenAvailable, launchd's coalesced calendar intervals),
// and the command's own check keeps that to one run.
type Job struct {
	Name    string // a file and task name: letters, digits, '-', '.'
	Title   string // one line for the user (the unit's description)
	Command []string
	Env     map[string]string
	Spec    Spec
}

// fireEvery is how often an every-N-hours job wakes to ask (minutes).
const fireEvery = 15

func (j Job) envKeys() []string {
	keys := make([]string, 0, len(j.Env))
	for k := range j.Env {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// check refuses a job that cannot be written: no command, a schedule that
// is off or wrong.
func (j Job) check() error {
	if len(j.Command) == 0 || j.Name == "" {
		return fmt.Errorf("scheduled job: no name or no command")
	}
	if j.Spec.IsOff() {
		return fmt.Errorf("scheduled job %s: the schedule is off", j.Name)
	}
	return j.Spec.Validate()
}

// SystemdUnits are the systemd user service and timer of j.
func (j Job) SystemdUnits() (service, timer string, err error) {
	if err := j.check(); err != nil {
		return "", "", err
	}
	var s strings.Builder
	fmt.Fprintf(&s, "[Unit]\nDescription=%s\n\n[Service]\nType=oneshot\n", systemdEscape(j.Title))
	for _, k := range j.envKeys() {
		fmt.Fprintf(&s, "Environment=%s\n", systemdQuote(k+"="+j.Env[k]))
	}
	args := make([]string, len(j.Command))
	for i, a := range j.Command {
		args[i] = systemdQuote(a)
	}
	fmt.Fprintf(&s, "ExecStart=%s\n", strings.Join(args, " "))
	calendar := fmt.Sprintf("*:0/%d", fireEvery)
	if j.Spec.Kind == Daily {
		h, m, _ := clockTime(j.Spec.At)
		calendar = fmt.Sprintf("*-*-* %02d:%02d:00", h, m)
	}
	timer = fmt.Sprintf("[Unit]\nDescription=%s\n\n[Timer]\nOnCalendar=%s\nPersistent=true\nUnit=%s.service\n\n[Install]\nWantedBy=timers.target\n",
		systemdEscape(j.Title), calendar, j.Name)
	return s.String(), timer, nil
}

// systemdEscape keeps '%' literal in a unit's value (systemd reads it as a
// specifier).
func systemdEscape(s string) string { return strings.ReplaceAll(s, "%", "%%") }

// systemdQuote is one word of a unit's command line or Environment=.
func systemdQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "%", "%%", "$", "$$")
	return `"` + r.Replace(s) + `"`
}

// cronMarker ends j's crontab line, so that it is found again to replace or
// remove it (and only it).
func (j Job) cronMarker() string { return "# hubextract:" + j.Name }

// CrontabLine is j as a line of the user's crontab.
func (j Job) CrontabLine() (string, error) {
	if err := j.check(); err != nil {
		return "", err
	}
	when := fmt.Sprintf("*/%d * * * *", fireEvery)
	if j.Spec.Kind == Daily {
		h, m, _ := clockTime(j.Spec.At)
		when = fmt.Sprintf("%d %d * * *", m, h)
	}
	var words []string
	for _, k := range j.envKeys() {
		words = append(words, k+"="+shellQuote(j.Env[k]))
	}
	for _, a := range j.Command {
		words = append(words, shellQuote(a))
	}
	// cron reads '%' as a line break.
	cmd := strings.ReplaceAll(strings.Join(words, " "), "%", `\%`)
	return fmt.Sprintf("%s %s >/dev/null 2>&1 %s", when, cmd, j.cronMarker()), nil
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// WithCrontabLine is the crontab text with j's line put in (replacing an
// earlier one of j's), the user's other lines as they were.
func (j Job) WithCrontabLine(crontab string) (string, error) {
	line, err := j.CrontabLine()
	if err != nil {
		return "", err
	}
	return j.WithoutCrontabLine(crontab) + line + "\n", nil
}

// WithoutCrontabLine is the crontab text without j's line.
func (j Job) WithoutCrontabLine(crontab string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(crontab, "\n") {
		if l == "" || strings.HasSuffix(strings.TrimRight(l, "\r\n"), j.cronMarker()) {
			continue
		}
		b.WriteString(l)
		if !strings.HasSuffix(l, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// TaskSchedulerXML is j as a Windows Task Scheduler task (schtasks /XML):
// it runs as the user, only while logged on, never twice at once, and
// catches up a missed start once.
func (j Job) TaskSchedulerXML() (string, error) {
	if err := j.check(); err != nil {
		return "", err
	}
	type exec struct {
		Command   string `xml:"Command"`
		Arguments string `xml:"Arguments,omitempty"`
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-16"?>` + "\n")
	b.WriteString(`<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">` + "\n")
	fmt.Fprintf(&b, "  <RegistrationInfo><Description>%s</Description></RegistrationInfo>\n", xmlText(j.Title))
	b.WriteString("  <Triggers>\n")
	if j.Spec.Kind == Daily {
		h, m, _ := clockTime(j.Spec.At)
		fmt.Fprintf(&b, "    <CalendarTrigger><StartBoundary>2000-01-01T%02d:%02d:00</StartBoundary><Enabled>true</Enabled>"+
			"<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger>\n", h, m)
	} else {
		fmt.Fprintf(&b, "    <TimeTrigger><Repetition><Interval>PT%dM</Interval></Repetition>"+
			"<StartBoundary>2000-01-01T00:00:00</StartBoundary><Enabled>true</Enabled></TimeTrigger>\n", fireEvery)
	}
	b.WriteString("  </Triggers>\n")
	b.WriteString("  <Principals><Principal id=\"Author\"><LogonType>InteractiveToken</LogonType><RunLevel>LeastPrivilege</RunLevel></Principal></Principals>\n")
	b.WriteString("  <Settings><MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy><DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>" +
		"<StopIfGoingOnBatteries>false</StopIfGoingOnBatteries><StartWhenAvailable>true</StartWhenAvailable>" +
		"<ExecutionTimeLimit>PT0S</ExecutionTimeLimit><Enabled>true</Enabled></Settings>\n")
	args := make([]string, len(j.Command)-1)
	for i, a := range j.Command[1:] {
		args[i] = windowsQuote(a)
	}
	out, err := xml.Marshal(exec{Command: j.Command[0], Arguments: strings.Join(args, " ")})
	if err != nil {
		return "", fmt.Errorf("scheduled job %s: %w", j.Name, err)
	}
	fmt.Fprintf(&b, "  <Actions Context=\"Author\">%s</Actions>\n</Task>\n", strings.NewReplacer("<exec>", "<Exec>", "</exec>", "</Exec>").Replace(string(out)))
	return b.String(), nil
}

// windowsQuote is one argument as Windows programs split a command line.
func windowsQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"") {
		return s
	}
	return strconv.Quote(s) // "..." with \" inside, as CommandLineToArgvW reads it
}

func xmlText(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// LaunchdLabel is the launchd agent's label (and file name) of j.
func (j Job) LaunchdLabel() string { return "com.hubextract." + j.Name }

// LaunchdPlist is j as a macOS launchd agent.
func (j Job) LaunchdPlist() (string, error) {
	if err := j.check(); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n" +
		`<plist version="1.0">` + "\n<dict>\n")
	fmt.Fprintf(&b, "  <key>Label</key>\n  <string>%s</string>\n  <key>ProgramArguments</key>\n  <array>\n", xmlText(j.LaunchdLabel()))
	for _, a := range j.Command {
		fmt.Fprintf(&b, "    <string>%s</string>\n", xmlText(a))
	}
	b.WriteString("  </array>\n")
	if len(j.Env) > 0 {
		b.WriteString("  <key>EnvironmentVariables</key>\n  <dict>\n")
		for _, k := range j.envKeys() {
			fmt.Fprintf(&b, "    <key>%s</key>\n    <string>%s</string>\n", xmlText(k), xmlText(j.Env[k]))
		}
		b.WriteString("  </dict>\n")
	}
	if j.Spec.Kind == Daily {
		h, m, _ := clockTime(j.Spec.At)
		fmt.Fprintf(&b, "  <key>StartCalendarInterval</key>\n  <dict>\n    <key>Hour</key>\n    <integer>%d</integer>\n"+
			"    <key>Minute</key>\n    <integer>%d</integer>\n  </dict>\n", h, m)
	} else {
		fmt.Fprintf(&b, "  <key>StartInterval</key>\n  <integer>%d</integer>\n", fireEvery*60)
	}
	b.WriteString("  <key>RunAtLoad</key>\n  <false/>\n</dict>\n</plist>\n")
	return b.String(), nil
}

// RefreshJob is the job that refreshes HubSpot account id (label names it
// for the user) while the app is closed: this very program runs
// `extract --account ID --scheduled`, with the app's folder when it is not
// the default one (configDir, "" for the default) and the HubSpot address
// when it is not HubSpot's own (baseURL, "" for HubSpot's).
func RefreshJob(id int64, label string, spec Spec, configDir, baseURL string) (Job, error) {
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return Job{}, fmt.Errorf("find this program: %w", err)
	}
	env := map[string]string{}
	if configDir != "" {
		abs, err := filepath.Abs(configDir)
		if err != nil {
			return Job{}, err
		}
		env["HUBEXTRACT_CONFIG_DIR"] = abs
	}
	ids := strconv.FormatInt(id, 10)
	cmd := []string{exe, "extract", "--account", ids, "--scheduled"}
	if baseURL != "" {
		cmd = append(cmd, "--base-url", baseURL)
	}
	return Job{Name: "hubextract-refresh-" + ids, Title: "HubSpot Extractor: scheduled refresh of " + label,
		Command: cmd, Env: env, Spec: spec}, nil
}
