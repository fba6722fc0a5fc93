package fakehub

import (
	"fmt"
	"strconv"
)

// Built-in properties of products, line items, quotes, leads,
// communications and postal mail, named as in HubSpot's published object
// descriptions. None of them is sensitive.

var productNames = []string{"Starter plan", "Professional plan", "Enterprise plan", "Onboarding package",
	"Premium support", "Extra seats (10)", "API add-on", "Training day", "Consulting hour", "Data migration",
	"Hardware kit, \"rev B\"", "Café machine ☕", "Schulung vor Ort", "Licence perpétuelle", "年間保守"}

var productTypeOpts = opts("Inventory", "inventory", "Non-inventory", "non_inventory", "Service", "service")

var billingFrequencyOpts = opts("Weekly", "weekly", "Biweekly", "biweekly", "Monthly", "monthly",
	"Quarterly", "quarterly", "Per six months", "per_six_months", "Annually", "annually",
	"Per two years", "per_two_years", "Per three years", "per_three_years")

// productName and productPriceCents depend on the product's index only, so
// a line item can copy its product's name and price.
func productName(ds *dataset, j int) string {
	name := productNames[j%len(productNames)]
	if ed := j / len(productNames); ed > 0 {
		name += " – edition " + strconv.Itoa(ed+1)
	}
	return name
}

func productPriceCents(ds *dataset, j int) int64 {
	r := newRNG(uint64(ds.seed), uint64(tProducts), uint64(j), strHash("price"))
	switch r.intn(3) {
	case 0:
		return int64(49+r.intn(950)) * 100 // round prices
	case 1:
		return int64(r.intn(5000))*100 + 99
	default:
		return int64(1000 + r.intn(2_000_000))
	}
}

func cents(c int64) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }

func productProps() []*propDef {
	return []*propDef{
		def("name", "Name", kindString, "text", func(g *gctx, _ *rng) (string, bool) { return productName(g.ds, g.idx), true }),
		def("price", "Unit price", kindNumber, "number", func(g *gctx, _ *rng) (string, bool) {
			return cents(productPriceCents(g.ds, g.idx)), true
		}),
		def("hs_sku", "SKU", kindString, "text", nullable(0.2, func(g *gctx, r *rng) string {
			return fmt.Sprintf("SKU-%04d-%c%c", g.idx, 'A'+rune(r.intn(26)), 'A'+rune(r.intn(26)))
		})),
		def("description", "Description", kindString, "textarea", nullable(0.3, func(_ *gctx, r *rng) string {
			if r.chance(0.1) {
				return pick(r, trickyStrings)
			}
			return sentence(r, 5) + "."
		})),
		def("hs_cost_of_goods_sold", "Unit cost", kindNumber, "number", func(g *gctx, r *rng) (string, bool) {
			if r.chance(0.4) {
				return "", false
			}
			return cents(productPriceCents(g.ds, g.idx) * int64(20+r.intn(60)) / 100), true
		}),
		def("recurringbillingfrequency", "Billing frequency", kindEnum, "select", enumGen(billingFrequencyOpts, 0.5), billingFrequencyOpts...),
		def("hs_recurring_billing_period", "Term", kindString, "text", poolGen([]string{"P12M", "P24M", "P36M", "P1M"}, 0.6)),
		def("hs_product_type", "Product type", kindEnum, "select", enumGen(productTypeOpts, 0.1), productTypeOpts...),
		def("hs_url", "URL", kindString, "text", nullable(0.7, func(g *gctx, _ *rng) string {
			return fmt.Sprintf("https://shop.example.com/p/%d", g.id)
		})),
	}
}

// lineProduct is the index of a line item's product, or -1 when the portal
// has no generated products.
func lineProduct(g *gctx) int {
	n := g.ds.generated[tProducts]
	if n == 0 {
		return -1
	}
	r := g.rng(strHash("hs_product_id"))
	return r.intn(n)
}

func lineQuantity(g *gctx) int64 {
	r := g.rng(strHash("quantity"))
	if r.chance(0.6) {
		return 1
	}
	return int64(2 + r.intn(49))
}

func linePriceCents(g *gctx) int64 {
	if j := lineProduct(g); j >= 0 {
		return productPriceCents(g.ds, j)
	}
	r := g.rng(strHash("price"))
	return int64(1000 + r.intn(500_000))
}

func lineItemProps() []*propDef {
	return []*propDef{
		def("name", "Name", kindString, "text", func(g *gctx, _ *rng) (string, bool) {
			if j := lineProduct(g); j >= 0 {
				return productName(g.ds, j), true
			}
			return "Custom line item", true
		}),
		def("hs_product_id", "Product ID", kindNumber, "number", func(g *gctx, _ *rng) (string, bool) {
			j := lineProduct(g)
			if j < 0 {
				return "", false
			}
			return itoa64(g.ds.idOf(tProducts, j)), true
		}),
		def("quantity", "Quantity", kindNumber, "number", func(g *gctx, _ *rng) (string, bool) {
			return strconv.FormatInt(lineQuantity(g), 10), true
		}),
		def("price", "Unit price", kindNumber, "number", func(g *gctx, _ *rng) (string, bool) {
			return cents(linePriceCents(g)), true
		}),
		// amount is quantity × price (the fake leaves discounts out of it).
		def("amount", "Net price", kindNumber, "number", func(g *gctx, _ *rng) (string, bool) {
			return cents(lineQuantity(g) * linePriceCents(g)), true
		}),
		def("hs_discount", "Unit discount", kindNumber, "number", nullable(0.85, func(_ *gctx, r *rng) string { return strconv.Itoa(5 * (1 + r.intn(40))) })),
		def("hs_discount_percentage", "Discount percentage", kindNumber, "number", nullable(0.8, func(_ *gctx, r *rng) string { return strconv.Itoa(5 * (1 + r.intn(6))) })),
		def("description", "Description", kindString, "textarea", nullable(0.6, func(_ *gctx, r *rng) string { return sentence(r, 4) })),
		def("recurringbillingfrequency", "Billing frequency", kindEnum, "select", enumGen(billingFrequencyOpts, 0.5), billingFrequencyOpts...),
		def("hs_line_item_currency_code", "Currency", kindString, "text", poolGen([]string{"USD", "EUR", "GBP"}, 0.1)),
		def("hs_position_on_quote", "Position on quote", kindNumber, "number", nullable(0.3, func(_ *gctx, r *rng) string { return strconv.Itoa(r.intn(6)) })),
	}
}

var quoteStatusOpts = opts("Draft", "DRAFT", "Approval not needed", "APPROVAL_NOT_NEEDED", "Pending approval", "PENDING_APPROVAL",
	"Approved", "APPROVED", "Rejected", "REJECTED", "Pending buyer action", "PENDING_BUYER_ACTION")

func quoteProps() []*propDef {
	currency := opts("US Dollar", "USD", "Euro", "EUR", "British Pound", "GBP")
	return []*propDef{
		def("hs_title", "Quote name", kindString, "text", nullable(0.01, func(_ *gctx, r *rng) string {
			if r.chance(0.05) {
				return pick(r, trickyStrings)
			}
			return "Quote for " + pick(r, companyNames) + " – " + pick(r, words)
		})),
		def("hs_status", "Quote approval status", kindEnum, "select", enumGen(quoteStatusOpts, 0), quoteStatusOpts...),
		def("hs_quote_amount", "Quote amount", kindNumber, "number", nullable(0.05, func(_ *gctx, r *rng) string { return money(r, 180000) })),
		def("hs_expiration_date", "Expiration date", kindDatetime, "date", func(g *gctx, r *rng) (string, bool) {
			return isoMillis(g.created + int64(30+r.intn(61))*dayMs), true
		}),
		def("hs_quote_number", "Quote number", kindString, "text", func(g *gctx, _ *rng) (string, bool) {
			return fmt.Sprintf("Q-%s-%05d", dateOnly(g.created)[:4], 1+g.idx), true
		}),
		def("hs_currency", "Currency", kindEnum, "select", enumGen(currency, 0.1), currency...),
		def("hs_public_url_key", "Public URL key", kindString, "text", func(g *gctx, r *rng) (string, bool) {
			return fmt.Sprintf("%016x", r.next()), true
		}),
		def("hs_terms", "Terms", kindString, "textarea", nullable(0.5, func(_ *gctx, r *rng) string { return "Payment due within 30 days.\n" + sentence(r, 4) + "." })),
		def("hs_esign_enabled", "E-signature enabled", kindBool, "booleancheckbox", enumGen(boolOpts, 0.2), boolOpts...),
		def("hs_sender_firstname", "Sender first name", kindString, "text", poolGen(firstNames, 0.1)),
		def("hs_sender_lastname", "Sender last name", kindString, "text", poolGen(lastNames, 0.1)),
	}
}

// The lead pipeline's stages (HubSpot's default lead pipeline). Leads carry
// them as property values only: the pipelines endpoint serves deals and
// tickets.
var leadStageOpts = opts("New", "new-stage-id", "Attempting", "attempting-stage-id", "Connected", "connected-stage-id",
	"Qualified", "qualified-stage-id", "Disqualified", "unqualified-stage-id")

func leadProps() []*propDef {
	pipeline := opts("Lead pipeline", "lead-pipeline-id")
	leadType := opts("New Business", "NEW_BUSINESS", "Upsell", "UPSELL", "Re-attempting", "RE_ATTEMPTING")
	label := opts("Hot", "HOT", "Warm", "WARM", "Cold", "COLD")
	disqualified := opts("Not a fit", "NOT_A_FIT", "No budget", "NO_BUDGET", "Went with a competitor", "COMPETITOR", "Bad timing", "BAD_TIMING")
	return []*propDef{
		def("hs_lead_name", "Lead name", kindString, "text", nullable(0.01, func(_ *gctx, r *rng) string {
			return personName(r, firstNames) + " " + personName(r, lastNames)
		})),
		def("hs_pipeline", "Pipeline", kindEnum, "select", func(*gctx, *rng) (string, bool) { return "lead-pipeline-id", true }, pipeline...),
		def("hs_pipeline_stage", "Lead stage", kindEnum, "select", enumGen(leadStageOpts, 0), leadStageOpts...),
		def("hs_lead_type", "Lead type", kindEnum, "select", enumGen(leadType, 0.2), leadType...),
		def("hs_lead_label", "Lead label", kindEnum, "select", enumGen(label, 0.3), label...),
		def("hs_lead_disqualification_reason", "Disqualification reason", kindEnum, "select", enumGen(disqualified, 0.85), disqualified...),
		def("hs_lead_source", "Lead source", kindEnum, "select", enumGen(sourceOpts, 0.3), sourceOpts...),
	}
}

var channelOpts = opts("WhatsApp", "WHATS_APP", "LinkedIn", "LINKEDIN_MESSAGE", "SMS", "SMS")

var chatMessages = []string{"Hi! Are we still on for Thursday?", "Thanks, received the contract 👍",
	"Can you send the invoice again, please?", "Bonjour, pouvez-vous me rappeler ?", "Sounds good, let's talk next week",
	"Got it — forwarding to our CFO", "ok", "Ich melde mich morgen, danke!", "Quick question about the pricing, \"per seat\"?",
	"=1+1", "收到，谢谢"}

func communicationProps(ts *propDef) []*propDef {
	loggedFrom := opts("CRM", "CRM")
	return []*propDef{ts,
		def("hs_communication_channel_type", "Channel type", kindEnum, "select", enumGen(channelOpts, 0), channelOpts...),
		def("hs_communication_body", "Body", kindString, "textarea", nullable(0.05, func(_ *gctx, r *rng) string { return pick(r, chatMessages) })),
		def("hs_communication_logged_from", "Logged from", kindEnum, "select", enumGen(loggedFrom, 0), loggedFrom...),
	}
}

func postalMailProps(ts *propDef) []*propDef {
	return []*propDef{ts,
		def("hs_postal_mail_body", "Body", kindString, "textarea", nullable(0.05, func(_ *gctx, r *rng) string {
			return pick(r, []string{"Sent the signed contract by registered mail", "Received a thank-you card",
				"Mailed the welcome pack, brochure and invoice", "Lettre recommandée reçue : résiliation", "Returned hardware kit, \"damaged\""}) +
				". " + sentence(r, 3) + "."
		})),
		def("hs_attachment_ids", "Attachment IDs", kindString, "text", nullable(0.8, func(_ *gctx, r *rng) string {
			return strconv.Itoa(100000000 + r.intn(900000000))
		})),
	}
}
