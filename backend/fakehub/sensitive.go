package fakehub

import (
	"fmt"
)

// Sensitive data: HubSpot's properties list returns only one level of
// sensitivity per call (dataSensitivity=non_sensitive, the default,
// sensitive or highly_sensitive), and reading a level beyond
// non_sensitive needs its own scope. Contacts, companies, deals and tickets
// carry two sensitive and one highly sensitive custom property each;
// engagements carry none. Their values are generated like every other
// value, each from its own stream (seeded by the property's name), so they
// leave every other value as it was.

const (
	levelNon       = "non_sensitive"
	levelSensitive = "sensitive"
	levelHighly    = "highly_sensitive"
)

// sensKey is one type's sensitivity level.
type sensKey struct {
	t     int
	level string
}

// validLevel reports whether s is a value of dataSensitivity.
func validLevel(s string) bool { return s == levelNon || s == levelSensitive || s == levelHighly }

// propLevel is a property's dataSensitivity.
func propLevel(p *propDef) string {
	if p.sensitivity == "" {
		return levelNon
	}
	return p.sensitivity
}

var healthNotes = []string{"Allergic to penicillin", "Type 2 diabetes, stable", "Wheelchair access needed at meetings",
	"Pregnant – due in spring", "Hearing aid: prefers email to calls", "No known conditions", "Asthma; carries inhaler",
	"Post-surgery recovery until next quarter, café meetings only ☕"}

var creditOpts = opts("AAA", "aaa", "AA", "aa", "A", "a", "BBB", "bbb", "Below investment grade", "junk")

var cardBrands = []string{"VISA", "Mastercard", "AMEX", "Carte Bancaire"}

var caseNotes = []string{"Reported symptoms after using the device", "Requested records under HIPAA",
	"Medication interaction question, escalated to the clinical team", "Follow-up on insurance claim, \"urgent\"",
	"Patient consent form received, signed", "Injury at customer site; incident report #"}

// sensitiveProps are a type's sensitive and highly sensitive properties.
func sensitiveProps(t int) []*propDef {
	sens := func(level string, p *propDef) *propDef {
		p.sensitivity, p.custom = level, true
		return p
	}
	switch t {
	case tContacts:
		return []*propDef{
			sens(levelSensitive, def("date_of_birth_private", "Date of birth (private)", kindDate, "date",
				nullable(0.4, func(_ *gctx, r *rng) string {
					return fmt.Sprintf("%04d-%02d-%02d", 1950+r.intn(55), 1+r.intn(12), 1+r.intn(28))
				}))),
			sens(levelSensitive, def("health_notes", "Health notes", kindString, "textarea", poolGen(healthNotes, 0.6))),
			sens(levelHighly, def("national_id_number", "National ID number", kindString, "text",
				nullable(0.5, func(_ *gctx, r *rng) string {
					return fmt.Sprintf("%c%c %02d %02d %02d %c", 'A'+rune(r.intn(26)), 'A'+rune(r.intn(26)),
						r.intn(100), r.intn(100), r.intn(100), 'A'+rune(r.intn(4)))
				}))),
		}
	case tCompanies:
		return []*propDef{
			sens(levelSensitive, def("credit_rating_internal", "Credit rating (internal)", kindEnum, "select", enumGen(creditOpts, 0.3), creditOpts...)),
			sens(levelSensitive, def("annual_revenue_confidential", "Annual revenue (confidential)", kindNumber, "number",
				nullable(0.3, func(_ *gctx, r *rng) string { return money(r, 90_000_000) }))),
			sens(levelHighly, def("bank_account_iban", "Bank account IBAN", kindString, "text",
				nullable(0.4, func(_ *gctx, r *rng) string {
					return fmt.Sprintf("DE%02d 3704 0044 %04d %04d %02d", 10+r.intn(90), r.intn(10000), r.intn(10000), r.intn(100))
				}))),
		}
	case tDeals:
		return []*propDef{
			sens(levelSensitive, def("negotiation_notes_private", "Negotiation notes (private)", kindString, "textarea",
				nullable(0.5, func(_ *gctx, r *rng) string { return sentence(r, 3+r.intn(5)) }))),
			sens(levelSensitive, def("contract_value_confidential", "Contract value (confidential)", kindNumber, "number",
				nullable(0.3, func(_ *gctx, r *rng) string { return money(r, 2_000_000) }))),
			sens(levelHighly, def("payment_card_reference", "Payment card reference", kindString, "text",
				nullable(0.6, func(_ *gctx, r *rng) string {
					return fmt.Sprintf("%s •••• %04d", pick(r, cardBrands), r.intn(10000))
				}))),
		}
	case tTickets:
		return []*propDef{
			sens(levelSensitive, def("medical_case_notes", "Medical case notes", kindString, "textarea", poolGen(caseNotes, 0.5))),
			sens(levelSensitive, def("callback_phone_private", "Callback phone (private)", kindPhone, "phonenumber",
				nullable(0.4, func(_ *gctx, r *rng) string { return phone(r) }))),
			sens(levelHighly, def("patient_record_number", "Patient record number", kindString, "text",
				nullable(0.5, func(_ *gctx, r *rng) string { return fmt.Sprintf("MRN-%07d", r.intn(10_000_000)) }))),
		}
	}
	return nil
}

// sensitiveScope is the scope a key needs to read a type's properties of
// a sensitivity level.
func sensitiveScope(t int, level string) string {
	if t == tTickets {
		return "tickets." + level
	}
	if t == tProjects {
		return "crm.objects.custom." + level + ".read"
	}
	return "crm.objects." + objTypes[t].name + "." + level + ".read"
}

// DenySensitive makes the key lack objectType's scope for level
// ("sensitive" or "highly_sensitive"): the properties list at that level
// answers 403 MISSING_SCOPES naming the scope (e.g.
// crm.objects.contacts.sensitive.read, tickets.highly_sensitive), and
// record reads (list, search, batch read) leave out that level's
// properties, as HubSpot returns no value for a property the key may not
// read. Nothing is denied by default. Unknown types are ignored; another
// level panics.
func (s *Server) DenySensitive(objectType, level string) {
	if level != levelSensitive && level != levelHighly {
		panic("fakehub: DenySensitive: level must be \"sensitive\" or \"highly_sensitive\", not " + fmt.Sprintf("%q", level))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.ds.typeByName(objectType)
	if t < 0 {
		return
	}
	s.sensDeny[sensKey{t, level}] = true
}
