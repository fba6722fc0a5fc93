package fakehub

import (
	"fmt"
	"time"
)

// generate builds the dataset and its initial state from the config. now
// (truncated to the hour, so servers built within the same hour agree) is
// the generated "now": every generated timestamp is at or before it.
func generate(cfg Config, now time.Time) (*dataset, *state) {
	ds := &dataset{
		seed:        cfg.Seed,
		anchor:      now.UTC().Truncate(time.Hour).UnixMilli(),
		inlineLimit: cfg.InlineAssociationLimit,
		v4Page:      cfg.AssociationPageSize,
	}
	ds.portalID = portalIDFor(cfg.Seed)
	ds.custom, ds.customID, ds.customFQN = cfg.CustomObjects, customIDFor(cfg.Seed), customFQNFor(cfg.Seed)
	generateOwners(ds)
	generatePipelines(ds)
	for t := 0; t < numTypes; t++ {
		props := commonProps(t)
		switch t {
		case tContacts:
			props = append(props, contactProps()...)
		case tCompanies:
			props = append(props, companyProps()...)
		case tDeals:
			props = append(props, dealProps(ds)...)
		case tTickets:
			props = append(props, ticketProps(ds)...)
		case tProducts:
			props = append(props, productProps()...)
		case tLineItems:
			props = append(props, lineItemProps()...)
		case tQuotes:
			props = append(props, quoteProps()...)
		case tLeads:
			props = append(props, leadProps()...)
		case tProjects:
			props = append(props, projectProps()...)
		default:
			props = append(props, engagementProps(t)...)
		}
		props = append(props, customProps(cfg.Seed, t, cfg.ExtraProperties)...)
		props = append(props, sensitiveProps(t)...)
		ds.schemas[t] = newSchema(props, objTypes[t].mutable)
	}
	st := &state{}
	sizes := cfg.sizes()
	for t := 0; t < numTypes; t++ {
		st.recs[t] = ds.generateRecords(t, sizes[t], cfg.Growth)
		ds.generated[t] = st.recs[t].n()
	}
	ds.buildGraph(st)
	generateForms(ds, cfg.Forms, cfg.FormSubmissionCounts)
	st.events = generateEvents(ds, cfg.EmailEvents)
	return ds, st
}

// sizes is the number of active records of each type: Sizes where it names
// the type (by plural, singular or objectTypeId; the custom type by its
// schema name "projects", objectTypeId or fullyQualifiedName), Scale
// elsewhere. Without CustomObjects the custom type has none.
func (cfg Config) sizes() [numTypes]int {
	var out [numTypes]int
	for t := range out {
		out[t] = cfg.Scale
	}
	for name, n := range cfg.Sizes {
		if t, ok := typeIndex(name); ok {
			out[t] = max(n, 0)
		} else if customSizeKey(cfg.Seed, name) {
			out[tProjects] = max(n, 0)
		}
	}
	if !cfg.CustomObjects {
		out[tProjects] = 0
	}
	return out
}

// Shapes of a portal's sizes, by name (SizesOf).
const (
	ShapeEven      = "even"      // every type the same size
	ShapeRealistic = "realistic" // RealisticSizes
	ShapeLopsided  = "lopsided"  // LopsidedSizes
)

// SizesOf is the Config.Sizes of a portal of shape at scale (nil: even).
func SizesOf(shape string, scale int) (map[string]int, error) {
	switch shape {
	case ShapeEven:
		return nil, nil
	case ShapeRealistic:
		return RealisticSizes(scale), nil
	case ShapeLopsided:
		return LopsidedSizes(scale), nil
	}
	return nil, fmt.Errorf("sizes %q: want %s, %s or %s", shape, ShapeRealistic, ShapeLopsided, ShapeEven)
}

// LopsidedSizes gives a portal whose contacts (scale of them) outnumber
// every other type by far, as a sales team's account often is: emails
// 3/5 of the contacts, deals 2/5, calls 7/20, notes 3/10, companies 1/4,
// and fewer of the rest. At 20,000 contacts it is the account the issue on
// lopsided accounts measured.
func LopsidedSizes(scale int) map[string]int {
	scale = max(scale, 1)
	part := func(num, den, least int) int { return max(scale*num/den, least) }
	return map[string]int{
		"contacts":       scale,
		"emails":         part(3, 5, 1),
		"deals":          part(2, 5, 1),
		"calls":          part(7, 20, 1),
		"notes":          part(3, 10, 1),
		"companies":      part(1, 4, 1),
		"tasks":          part(1, 10, 1),
		"tickets":        part(1, 20, 1),
		"meetings":       part(1, 20, 1),
		"line_items":     part(1, 10, 1),
		"leads":          part(1, 20, 1),
		"quotes":         part(1, 50, 1),
		"products":       part(1, 200, 5),
		"communications": part(1, 100, 1),
		"postal_mail":    part(1, 200, 1),
		customName:       part(1, 50, 1),
	}
}

// RealisticSizes gives a portal of the given scale (about its number of
// contacts) the uneven sizes of a real account: many more emails and
// notes than meetings, a few products and two to three line items per
// deal, fewer quotes than deals, leads about a third of the contacts, and
// few communications and postal mail, and projects (the custom type, with
// Config.CustomObjects) a tenth of the contacts. Use it as Config.Sizes.
func RealisticSizes(scale int) map[string]int {
	if scale < 1 {
		scale = 1
	}
	part := func(num, den, least int) int { return max(scale*num/den, least) }
	deals := part(2, 5, 1)
	return map[string]int{
		"contacts":       scale,
		"companies":      part(3, 10, 1),
		"deals":          deals,
		"tickets":        part(1, 4, 1),
		"calls":          part(3, 5, 1),
		"emails":         part(5, 2, 1),
		"meetings":       part(1, 5, 1),
		"notes":          part(3, 2, 1),
		"tasks":          part(4, 5, 1),
		"products":       part(1, 50, 5),
		"line_items":     max(deals*5/2, 1),
		"quotes":         part(3, 20, 1),
		"leads":          part(1, 3, 1),
		"communications": part(1, 10, 1),
		"postal_mail":    part(1, 50, 1),
		customName:       part(1, 10, 1),
	}
}
