package fakehub

import (
	"fmt"
	"strconv"
	"strings"
)

// Built-in properties of deals, tickets and the five engagement types.

// dealStage picks a deal's pipeline and stage together, so dealstage always
// belongs to pipeline.
func dealStage(g *gctx) (*pipeline, *stage) { return pipelineStage(g, g.ds.dealPipelines, "dealstage") }

func ticketStage(g *gctx) (*pipeline, *stage) {
	return pipelineStage(g, g.ds.ticketPipelines, "hs_pipeline_stage")
}

func pipelineStage(g *gctx, ps []pipeline, salt string) (*pipeline, *stage) {
	r := g.rng(strHash(salt))
	p := &ps[0]
	if len(ps) > 1 && r.chance(0.25) {
		p = &ps[1+r.intn(len(ps)-1)]
	}
	return p, &p.stages[r.intn(len(p.stages))]
}

// pipelineDefs are the pipeline and stage properties of deals or tickets,
// whose values always name a stage of the chosen pipeline.
func pipelineDefs(ps []pipeline, choose func(*gctx) (*pipeline, *stage), pipeName, stageName, stageLabel, stageField string) []*propDef {
	return []*propDef{
		def(pipeName, "Pipeline", kindEnum, "select", func(g *gctx, _ *rng) (string, bool) {
			p, _ := choose(g)
			return p.id, true
		}, pipelineOpts(ps)...),
		def(stageName, stageLabel, kindEnum, stageField, func(g *gctx, _ *rng) (string, bool) {
			_, s := choose(g)
			return s.id, true
		}, stageOpts(ps)...),
	}
}

func pipelineOpts(ps []pipeline) []option {
	var out []option
	for i, p := range ps {
		out = append(out, option{Label: p.label, Value: p.id, DisplayOrder: i})
	}
	return out
}

func stageOpts(ps []pipeline) []option {
	var out []option
	for _, p := range ps {
		for _, s := range p.stages {
			out = append(out, option{Label: s.label, Value: s.id, DisplayOrder: len(out)})
		}
	}
	return out
}

func dealProps(ds *dataset) []*propDef {
	priority := opts("Low", "low", "Medium", "medium", "High", "high")
	dealType := opts("New Business", "newbusiness", "Existing Business", "existingbusiness")
	currency := opts("US Dollar", "USD", "Euro", "EUR", "British Pound", "GBP", "Japanese Yen", "JPY")
	return append(pipelineDefs(ds.dealPipelines, dealStage, "pipeline", "dealstage", "Deal Stage", "radio"),
		def("dealname", "Deal Name", kindString, "text", nullable(0.01, func(g *gctx, r *rng) string {
			if r.chance(0.06) {
				return pick(r, trickyStrings)
			}
			return pick(r, companyNames) + " – " + pick(r, words)
		})),
		def("amount", "Amount", kindNumber, "number", nullable(0.15, func(_ *gctx, r *rng) string { return money(r, 250000) })),
		def("closedate", "Close Date", kindDatetime, "date", nullable(0.2, func(g *gctx, r *rng) string {
			return isoMillis(g.created + int64(r.intn(180))*dayMs + int64(r.intn(dayMs)))
		})),
		def("hs_is_closed_won", "Is Closed Won", kindBool, "booleancheckbox", func(g *gctx, _ *rng) (string, bool) {
			_, s := dealStage(g)
			return strconv.FormatBool(s.won), true
		}, boolOpts...),
		def("hs_deal_stage_probability", "Deal Stage Probability", kindNumber, "number", func(g *gctx, _ *rng) (string, bool) {
			_, s := dealStage(g)
			return s.probability, s.probability != ""
		}),
		def("dealtype", "Deal Type", kindEnum, "radio", enumGen(dealType, 0.3), dealType...),
		def("description", "Deal Description", kindString, "textarea", nullable(0.5, func(_ *gctx, r *rng) string {
			return sentence(r, 5) + ",\n" + sentence(r, 2) + "."
		})),
		def("hs_priority", "Priority", kindEnum, "select", enumGen(priority, 0.4), priority...),
		def("hs_next_step", "Next step", kindString, "text", nullable(0.3, func(_ *gctx, r *rng) string { return sentence(r, 3) })),
		def("hs_forecast_probability", "Forecast Probability", kindNumber, "number", nullable(0.5, func(_ *gctx, r *rng) string {
			return strconv.FormatFloat(float64(r.intn(101))/100, 'f', -1, 64)
		})),
		def("deal_currency_code", "Currency", kindEnum, "select", enumGen(currency, 0.2), currency...),
		def("closed_lost_reason", "Closed Lost Reason", kindString, "textarea", poolGen([]string{"Price", "Went with a competitor", "No budget, \"maybe\" next year", "Timing"}, 0.8)),
	)
}

func ticketProps(ds *dataset) []*propDef {
	priority := opts("Low", "LOW", "Medium", "MEDIUM", "High", "HIGH", "Urgent", "URGENT")
	category := opts("Product Issue", "PRODUCT_ISSUE", "Billing Issue", "BILLING_ISSUE", "Feature Request", "FEATURE_REQUEST", "General Inquiry", "GENERAL_INQUIRY")
	source := opts("Chat", "CHAT", "Email", "EMAIL", "Form", "FORM", "Phone", "PHONE")
	resolution := opts("Issue fixed", "ISSUE_FIXED", "Provided information", "PROVIDED_INFORMATION", "Won't fix", "WONT_FIX")
	return append(pipelineDefs(ds.ticketPipelines, ticketStage, "hs_pipeline", "hs_pipeline_stage", "Ticket status", "select"),
		def("subject", "Ticket name", kindString, "text", nullable(0.01, func(_ *gctx, r *rng) string {
			if r.chance(0.06) {
				return pick(r, trickyStrings)
			}
			return "Problem with " + pick(r, words)
		})),
		def("content", "Ticket description", kindString, "textarea", nullable(0.2, func(_ *gctx, r *rng) string {
			return "Hi,\n" + sentence(r, 6) + ".\nThanks, " + pick(r, firstNames)
		})),
		def("hs_ticket_priority", "Priority", kindEnum, "select", enumGen(priority, 0.2), priority...),
		def("hs_ticket_category", "Category", kindEnum, "checkbox", nullable(0.3, func(_ *gctx, r *rng) string {
			k := r.intn(len(category))
			v := category[k].Value
			if r.chance(0.2) { // multi-select values are joined with ';'
				v += ";" + category[(k+1+r.intn(len(category)-1))%len(category)].Value
			}
			return v
		}), category...),
		def("source_type", "Source", kindEnum, "select", enumGen(source, 0.1), source...),
		def("closed_date", "Close date", kindDatetime, "date", nullable(0.5, func(g *gctx, r *rng) string { return between(g, r) })),
		def("time_to_close", "Time to close", kindNumber, "number", nullable(0.5, func(_ *gctx, r *rng) string { return strconv.Itoa(r.intn(30 * dayMs)) })),
		def("hs_resolution", "Resolution", kindEnum, "select", enumGen(resolution, 0.6), resolution...),
	)
}

// activityTime is an engagement's hs_timestamp: when the call, meeting...
// happened, shortly before the record was logged.
func activityTime(g *gctx) int64 {
	r := g.rng(strHash("hs_timestamp"))
	return g.created - int64(r.intn(2*dayMs))
}

func engagementProps(t int) []*propDef {
	ts := def("hs_timestamp", "Activity date", kindDatetime, "date", func(g *gctx, _ *rng) (string, bool) {
		return isoMillis(activityTime(g)), true
	})
	body := func(name, label string, nullP float64) *propDef {
		return def(name, label, kindString, "html", nullable(nullP, func(_ *gctx, r *rng) string { return pick(r, noteBodies) }))
	}
	fullName := func(_ *gctx, r *rng) string { return personName(r, firstNames) + " " + personName(r, lastNames) }
	switch t {
	case tCommunications:
		return communicationProps(ts)
	case tPostalMail:
		return postalMailProps(ts)
	case tCalls:
		direction := opts("Inbound", "INBOUND", "Outbound", "OUTBOUND")
		status := opts("Busy", "BUSY", "Calling CRM user", "CALLING_CRM_USER", "Canceled", "CANCELED", "Completed", "COMPLETED",
			"Connecting", "CONNECTING", "Failed", "FAILED", "In progress", "IN_PROGRESS", "No answer", "NO_ANSWER", "Ringing", "RINGING")
		disposition := opts("Busy", "9d9162e7-6cf3-4944-bf63-4dff82258764", "Connected", "f240bbac-87c9-4f6e-bf70-924b57d47db7",
			"Left live message", "a4c4c377-d246-4b32-a13b-75a56a4cd0ff", "Left voicemail", "b2cf5968-551e-4856-9783-52b3da59a7d0",
			"No answer", "73a0d17f-1163-4015-bdd5-ec830791da20", "Wrong number", "17b47fee-58de-441e-a44c-c6300d46f273")
		return []*propDef{ts,
			def("hs_call_title", "Call Title", kindString, "text", nullable(0.1, func(g *gctx, r *rng) string { return "Call with " + fullName(g, r) })),
			body("hs_call_body", "Call notes", 0.4),
			def("hs_call_direction", "Call direction", kindEnum, "select", enumGen(direction, 0.05), direction...),
			def("hs_call_duration", "Call duration", kindNumber, "number", nullable(0.1, func(_ *gctx, r *rng) string { return strconv.Itoa(r.intn(3_600_000)) })),
			def("hs_call_status", "Call status", kindEnum, "select", enumGen(status, 0.05), status...),
			def("hs_call_disposition", "Call outcome", kindEnum, "select", enumGen(disposition, 0.3), disposition...),
			def("hs_call_from_number", "From number", kindString, "text", nullable(0.2, func(_ *gctx, r *rng) string { return phone(r) })),
			def("hs_call_to_number", "To number", kindString, "text", nullable(0.2, func(_ *gctx, r *rng) string { return phone(r) })),
			def("hs_call_recording_url", "Recording URL", kindString, "text", nullable(0.5, func(g *gctx, _ *rng) string {
				return fmt.Sprintf("https://api.twilio.example.com/recordings/RE%d.mp3", g.id)
			})),
		}
	case tEmails:
		direction := opts("Email", "EMAIL", "Incoming email", "INCOMING_EMAIL", "Forwarded email", "FORWARDED_EMAIL")
		status := opts("Bounced", "BOUNCED", "Failed", "FAILED", "Scheduled", "SCHEDULED", "Sending", "SENDING", "Sent", "SENT")
		return []*propDef{ts,
			def("hs_email_subject", "Subject", kindString, "text", nullable(0.05, func(_ *gctx, r *rng) string { return "Re: " + sentence(r, 3) })),
			def("hs_email_text", "Text", kindString, "textarea", nullable(0.2, func(_ *gctx, r *rng) string {
				return "Hello " + pick(r, firstNames) + ",\n\n" + sentence(r, 8) + ".\n\n> quoted, earlier mail"
			})),
			body("hs_email_html", "Email body", 0.3),
			def("hs_email_direction", "Email direction", kindEnum, "select", enumGen(direction, 0), direction...),
			def("hs_email_status", "Email send status", kindEnum, "select", enumGen(status, 0.1), status...),
			def("hs_email_from_email", "From", kindString, "text", nullable(0.05, func(g *gctx, r *rng) string {
				return fmt.Sprintf("%s@%s", pick(r, emailLocal), pick(r, emailDomains))
			})),
			def("hs_email_to_email", "To", kindString, "text", nullable(0.05, func(g *gctx, r *rng) string {
				n := 1 + r.intn(3)
				to := make([]string, n)
				for i := range to {
					to[i] = fmt.Sprintf("%s.%d@%s", pick(r, emailLocal), i, pick(r, emailDomains))
				}
				return strings.Join(to, ";")
			})),
			def("hs_email_from_firstname", "From first name", kindString, "text", nullable(0.2, func(_ *gctx, r *rng) string { return personName(r, firstNames) })),
			def("hs_email_from_lastname", "From last name", kindString, "text", nullable(0.2, func(_ *gctx, r *rng) string { return personName(r, lastNames) })),
		}
	case tMeetings:
		outcome := opts("Scheduled", "SCHEDULED", "Completed", "COMPLETED", "Rescheduled", "RESCHEDULED", "No Show", "NO_SHOW", "Canceled", "CANCELED")
		return []*propDef{ts,
			def("hs_meeting_title", "Meeting name", kindString, "text", nullable(0.05, func(_ *gctx, r *rng) string { return "Meeting: " + sentence(r, 2) })),
			body("hs_meeting_body", "Meeting description", 0.4),
			def("hs_meeting_start_time", "Start time", kindDatetime, "date", func(g *gctx, _ *rng) (string, bool) { return isoMillis(activityTime(g)), true }),
			def("hs_meeting_end_time", "End time", kindDatetime, "date", func(g *gctx, r *rng) (string, bool) {
				return isoMillis(activityTime(g) + int64(1+r.intn(4))*15*60*1000), true
			}),
			def("hs_meeting_outcome", "Meeting outcome", kindEnum, "select", enumGen(outcome, 0.1), outcome...),
			def("hs_meeting_location", "Location", kindString, "text", poolGen([]string{"Zoom", "Office, Room 3", "Café Central, Wien", "https://meet.example.com/abc-defg"}, 0.4)),
			def("hs_internal_meeting_notes", "Internal notes", kindString, "html", poolGen(noteBodies, 0.7)),
		}
	case tNotes:
		return []*propDef{ts,
			def("hs_note_body", "Note body", kindString, "html", func(g *gctx, r *rng) (string, bool) {
				if g.idx == 3 {
					return noteBodies[scriptNote], true
				}
				if r.chance(0.05) {
					return "", false
				}
				return pick(r, noteBodies), true
			}),
			def("hs_attachment_ids", "Attachment IDs", kindString, "text", nullable(0.9, func(_ *gctx, r *rng) string {
				return fmt.Sprintf("%d;%d", 100000000+r.intn(900000000), 100000000+r.intn(900000000))
			})),
		}
	default: // tasks
		status := opts("Not started", "NOT_STARTED", "In progress", "IN_PROGRESS", "Waiting", "WAITING", "Completed", "COMPLETED", "Deferred", "DEFERRED")
		priority := opts("None", "NONE", "Low", "LOW", "Medium", "MEDIUM", "High", "HIGH")
		kind := opts("Call", "CALL", "Email", "EMAIL", "To-do", "TODO", "LinkedIn", "LINKED_IN")
		return []*propDef{ts,
			def("hs_task_subject", "Task title", kindString, "text", nullable(0.02, func(_ *gctx, r *rng) string { return "Follow up: " + sentence(r, 2) })),
			body("hs_task_body", "Notes", 0.5),
			def("hs_task_status", "Task status", kindEnum, "select", enumGen(status, 0), status...),
			def("hs_task_priority", "Priority", kindEnum, "select", enumGen(priority, 0.1), priority...),
			def("hs_task_type", "Task type", kindEnum, "select", enumGen(kind, 0.05), kind...),
			def("hs_task_completion_date", "Completed at", kindDatetime, "date", nullable(0.6, func(g *gctx, r *rng) string { return between(g, r) })),
		}
	}
}
