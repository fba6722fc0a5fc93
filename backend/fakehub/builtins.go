package fakehub

import (
	"fmt"
	"strconv"
	"time"
)

// The built-in properties of each type: the names, types and enumeration
// values of a real portal, each with the generator of its values.

func def(name, label string, kind valueKind, fieldType string, gen genFunc, options ...option) *propDef {
	return &propDef{name: name, label: label, kind: kind, fieldType: fieldType, gen: gen, options: options}
}

// nullable wraps a generator that always has a value so that a share of
// records leaves the property empty (null).
func nullable(p float64, f func(g *gctx, r *rng) string) genFunc {
	return func(g *gctx, r *rng) (string, bool) {
		if r.chance(p) {
			return "", false
		}
		return f(g, r), true
	}
}

func enumGen(options []option, nullP float64) genFunc {
	return nullable(nullP, func(_ *gctx, r *rng) string { return pick(r, options).Value })
}

func poolGen(pool []string, nullP float64) genFunc {
	return nullable(nullP, func(_ *gctx, r *rng) string { return pick(r, pool) })
}

func dateOnly(ms int64) string { return time.UnixMilli(ms).UTC().Format("2006-01-02") }

// between returns an ISO timestamp between the record's creation and the
// dataset's "now".
func between(g *gctx, r *rng) string {
	span := g.ds.anchor - g.created
	if span <= 0 {
		return isoMillis(g.created)
	}
	return isoMillis(g.created + int64(r.float()*float64(span)))
}

func ownerGen(g *gctx, r *rng) (string, bool) {
	if r.chance(0.1) || len(g.ds.activeOwners) == 0 {
		return "", false
	}
	return g.ds.owners[pick(r, g.ds.activeOwners)].id, true
}

func commonProps(t int) []*propDef {
	o := &objTypes[t]
	return []*propDef{
		{name: "hs_object_id", label: "Record ID", kind: kindNumber, fieldType: "number", special: spID},
		{name: o.created, label: "Create Date", kind: kindDatetime, fieldType: "date", special: spCreated},
		{name: o.lastMod, label: "Last Modified Date", kind: kindDatetime, fieldType: "date", special: spUpdated},
		{name: "hubspot_owner_id", label: "Owner", kind: kindEnum, fieldType: "select", ownerRef: true, gen: ownerGen},
	}
}

var lifecycleOpts = opts("Subscriber", "subscriber", "Lead", "lead", "Marketing Qualified Lead", "marketingqualifiedlead",
	"Sales Qualified Lead", "salesqualifiedlead", "Opportunity", "opportunity", "Customer", "customer",
	"Evangelist", "evangelist", "Other", "other")

var industryOpts = opts("Accounting", "ACCOUNTING", "Airlines/Aviation", "AIRLINES_AVIATION", "Automotive", "AUTOMOTIVE",
	"Banking", "BANKING", "Biotechnology", "BIOTECHNOLOGY", "Computer Software", "COMPUTER_SOFTWARE",
	"Construction", "CONSTRUCTION", "Education Management", "EDUCATION_MANAGEMENT", "Financial Services", "FINANCIAL_SERVICES",
	"Food & Beverages", "FOOD_BEVERAGES", "Hospital & Health Care", "HOSPITAL_HEALTH_CARE",
	"Information Technology and Services", "INFORMATION_TECHNOLOGY_AND_SERVICES", "Insurance", "INSURANCE",
	"Marketing and Advertising", "MARKETING_AND_ADVERTISING", "Real Estate", "REAL_ESTATE", "Retail", "RETAIL",
	"Telecommunications", "TELECOMMUNICATIONS")

func contactProps() []*propDef {
	return []*propDef{
		def("email", "Email", kindString, "text", nullable(0.04, func(g *gctx, r *rng) string {
			e := fmt.Sprintf("%s.%d@%s", pick(r, emailLocal), g.id, pick(r, emailDomains))
			return e
		})),
		def("firstname", "First Name", kindString, "text", nullable(0.03, func(_ *gctx, r *rng) string { return personName(r, firstNames) })),
		def("lastname", "Last Name", kindString, "text", nullable(0.03, func(_ *gctx, r *rng) string { return personName(r, lastNames) })),
		def("phone", "Phone Number", kindPhone, "phonenumber", nullable(0.3, func(_ *gctx, r *rng) string { return phone(r) })),
		def("mobilephone", "Mobile Phone Number", kindPhone, "phonenumber", nullable(0.6, func(_ *gctx, r *rng) string { return phone(r) })),
		def("company", "Company Name", kindString, "text", poolGen(companyNames, 0.3)),
		def("jobtitle", "Job Title", kindString, "text", poolGen(jobTitles, 0.25)),
		def("website", "Website URL", kindString, "text", nullable(0.5, func(g *gctx, r *rng) string {
			return "https://www." + slug(pick(r, companyNames), g.id) + ".example.com"
		})),
		def("address", "Street Address", kindString, "textarea", nullable(0.4, func(_ *gctx, r *rng) string {
			return pick(r, []string{"Hauptstraße 5", "1 Infinite Loop, Suite 100", "221B Baker Street", "Rue de l'Église 3\nBâtiment B", "Calle Mayor, 12"})
		})),
		def("city", "City", kindString, "text", poolGen(cities, 0.3)),
		def("zip", "Postal Code", kindString, "text", nullable(0.4, func(_ *gctx, r *rng) string { return fmt.Sprintf("%05d", r.intn(100000)) })),
		def("country", "Country/Region", kindString, "text", poolGen(countries, 0.3)),
		def("industry", "Industry", kindString, "text", poolGen([]string{"Software", "Retail, wholesale", "Santé", "Finance & Banking"}, 0.6)),
		def("lifecyclestage", "Lifecycle Stage", kindEnum, "radio", enumGen(lifecycleOpts, 0.05), lifecycleOpts...),
		def("hs_lead_status", "Lead Status", kindEnum, "radio", enumGen(leadStatusOpts, 0.4), leadStatusOpts...),
		def("hs_email_optout", "Unsubscribed from all email", kindBool, "booleancheckbox", enumGen(boolOpts, 0.2), boolOpts...),
		def("annualrevenue", "Annual Revenue", kindNumber, "number", nullable(0.7, func(_ *gctx, r *rng) string { return money(r, 50_000_000) })),
		def("numemployees", "Number of Employees", kindEnum, "select", enumGen(employeeOpts, 0.5), employeeOpts...),
		def("hs_analytics_source", "Original Source", kindEnum, "select", enumGen(sourceOpts, 0.1), sourceOpts...),
		def("date_of_birth", "Date of birth", kindDate, "date", nullable(0.8, func(_ *gctx, r *rng) string {
			return dateOnly(time.Date(1950+r.intn(55), time.Month(1+r.intn(12)), 1+r.intn(28), 0, 0, 0, 0, time.UTC).UnixMilli())
		})),
		def("message", "Message", kindString, "textarea", nullable(0.7, func(_ *gctx, r *rng) string {
			if r.chance(0.3) {
				return pick(r, trickyStrings)
			}
			return sentence(r, 4) + ".\n" + sentence(r, 3) + ", thanks!"
		})),
		def("notes_last_updated", "Last Activity Date", kindDatetime, "date", nullable(0.5, func(g *gctx, r *rng) string { return between(g, r) })),
		def("num_notes", "Number of Sales Activities", kindNumber, "number", nullable(0.2, func(_ *gctx, r *rng) string { return strconv.Itoa(r.intn(40)) })),
		def("hs_language", "Preferred language", kindEnum, "select", enumGen(languageOpts, 0.6), languageOpts...),
	}
}

var leadStatusOpts = opts("New", "NEW", "Open", "OPEN", "In Progress", "IN_PROGRESS", "Open Deal", "OPEN_DEAL",
	"Unqualified", "UNQUALIFIED", "Attempted to Contact", "ATTEMPTED_TO_CONTACT", "Connected", "CONNECTED", "Bad Timing", "BAD_TIMING")

var employeeOpts = opts("1-5", "1-5", "5-25", "5-25", "25-50", "25-50", "50-100", "50-100", "100-500", "100-500",
	"500-1000", "500-1000", "1000+", "1000+")

var sourceOpts = opts("Organic Search", "ORGANIC_SEARCH", "Paid Search", "PAID_SEARCH", "Email Marketing", "EMAIL_MARKETING",
	"Organic Social", "SOCIAL_MEDIA", "Referrals", "REFERRALS", "Other Campaigns", "OTHER_CAMPAIGNS",
	"Direct Traffic", "DIRECT_TRAFFIC", "Offline Sources", "OFFLINE", "Paid Social", "PAID_SOCIAL")

var languageOpts = opts("English", "en", "German", "de", "French", "fr", "Spanish", "es", "Japanese", "ja", "Chinese - Simplified", "zh-cn")

func companyProps() []*propDef {
	companyTypeOpts := opts("Prospect", "PROSPECT", "Partner", "PARTNER", "Reseller", "RESELLER", "Vendor", "VENDOR", "Other", "OTHER")
	return []*propDef{
		def("name", "Company name", kindString, "text", nullable(0.02, func(_ *gctx, r *rng) string { return personName(r, companyNames) })),
		def("domain", "Company Domain Name", kindString, "text", nullable(0.1, func(g *gctx, r *rng) string {
			return slug(pick(r, companyNames), g.id) + ".example.com"
		})),
		def("website", "Website URL", kindString, "text", nullable(0.3, func(g *gctx, r *rng) string {
			return "https://" + slug(pick(r, companyNames), g.id) + ".example.com/"
		})),
		def("phone", "Phone Number", kindPhone, "phonenumber", nullable(0.3, func(_ *gctx, r *rng) string { return phone(r) })),
		def("address", "Street Address", kindString, "text", nullable(0.4, func(_ *gctx, r *rng) string {
			return pick(r, []string{"Bahnhofstrasse 1", "500 Terry Francine St", "Av. Paulista, 1578", "ul. Piotrkowska 104"})
		})),
		def("city", "City", kindString, "text", poolGen(cities, 0.2)),
		def("zip", "Postal Code", kindString, "text", nullable(0.4, func(_ *gctx, r *rng) string { return fmt.Sprintf("%05d", r.intn(100000)) })),
		def("country", "Country/Region", kindString, "text", poolGen(countries, 0.2)),
		def("industry", "Industry", kindEnum, "select", enumGen(industryOpts, 0.3), industryOpts...),
		def("type", "Type", kindEnum, "select", enumGen(companyTypeOpts, 0.4), companyTypeOpts...),
		def("lifecyclestage", "Lifecycle Stage", kindEnum, "radio", enumGen(lifecycleOpts, 0.2), lifecycleOpts...),
		def("numberofemployees", "Number of Employees", kindNumber, "number", nullable(0.3, func(_ *gctx, r *rng) string { return strconv.Itoa(1 + r.intn(20000)) })),
		def("annualrevenue", "Annual Revenue", kindNumber, "number", nullable(0.4, func(_ *gctx, r *rng) string { return money(r, 900_000_000) })),
		def("description", "Description", kindString, "textarea", nullable(0.4, func(_ *gctx, r *rng) string {
			if r.chance(0.2) {
				return pick(r, trickyStrings)
			}
			return sentence(r, 6) + ".\nFounded by " + pick(r, firstNames) + " " + pick(r, lastNames) + "."
		})),
		def("founded_year", "Year Founded", kindString, "text", nullable(0.5, func(_ *gctx, r *rng) string { return strconv.Itoa(1890 + r.intn(134)) })),
		def("is_public", "Is Public", kindBool, "booleancheckbox", enumGen(boolOpts, 0.5), boolOpts...),
		def("linkedin_company_page", "LinkedIn Company Page", kindString, "text", nullable(0.6, func(g *gctx, r *rng) string {
			return "https://www.linkedin.com/company/" + slug(pick(r, companyNames), g.id)
		})),
		def("hs_num_open_deals", "Number of open deals", kindNumber, "number", nullable(0.1, func(_ *gctx, r *rng) string { return strconv.Itoa(r.intn(12)) })),
		def("total_money_raised", "Total Money Raised", kindString, "text", nullable(0.8, func(_ *gctx, r *rng) string { return money(r, 1_000_000_000) })),
		def("notes_last_updated", "Last Activity Date", kindDatetime, "date", nullable(0.4, func(g *gctx, r *rng) string { return between(g, r) })),
	}
}
