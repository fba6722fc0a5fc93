// Package views owns what the desktop app's screens read from the database,
// shaped for display: the overview's counts and engagement figures, the run
// history, and the record browser's pages and details with readable labels
// (through export.Labeler). Every value leaves here as plain text; nothing
// is meant to be rendered as markup. It only reads (backend/store) and must
// not import Wails, the engine or the HubSpot client.
package views

import (
	"strings"
	"time"
)

// Type groups, as the Extract and Overview screens show them.
const (
	GroupCRM         = "crm"
	GroupEngagements = "engagements"
	GroupMarketing   = "marketing"
	GroupOther       = "other"
)

// typeInfo is how a type (or stream) is named and grouped on screen.
var typeInfo = map[string]struct{ label, group string }{
	"contacts":         {"Contacts", GroupCRM},
	"companies":        {"Companies", GroupCRM},
	"deals":            {"Deals", GroupCRM},
	"tickets":          {"Tickets", GroupCRM},
	"calls":            {"Calls", GroupEngagements},
	"emails":           {"Emails", GroupEngagements},
	"meetings":         {"Meetings", GroupEngagements},
	"notes":            {"Notes", GroupEngagements},
	"tasks":            {"Tasks", GroupEngagements},
	"forms":            {"Forms", GroupMarketing},
	"form_submissions": {"Form submissions", GroupMarketing},
	"email_events":     {"Marketing email events", GroupMarketing},
	"metadata":         {"Owners and pipelines", GroupOther},
}

// TypeLabel is a type's or stream's name for people ("form_submissions" is
// "Form submissions").
func TypeLabel(t string) string {
	if info, ok := typeInfo[t]; ok {
		return info.label
	}
	s := strings.ReplaceAll(t, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// singular names one record of a type ("Company 42").
func singular(t string) string {
	switch t {
	case "companies":
		return "Company"
	case "email_events":
		return "Email event"
	}
	return strings.TrimSuffix(TypeLabel(t), "s")
}

// TypeGroup is the group a type is shown in.
func TypeGroup(t string) string {
	if info, ok := typeInfo[t]; ok {
		return info.group
	}
	return GroupOther
}

// GroupLabel is a group's heading.
func GroupLabel(g string) string {
	switch g {
	case GroupCRM:
		return "CRM objects"
	case GroupEngagements:
		return "Engagements"
	case GroupMarketing:
		return "Marketing"
	}
	return "Other"
}

// TimeText is t as RFC 3339 in UTC, "" when unknown.
func TimeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
