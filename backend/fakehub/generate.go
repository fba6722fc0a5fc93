package fakehub

import (
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
	ds.portalID = 20_000_000 + int64(hash(uint64(cfg.Seed), 0x90)%50_000_000)
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
		default:
			props = append(props, engagementProps(t)...)
		}
		props = append(props, customProps(cfg.Seed, t, cfg.ExtraProperties)...)
		props = append(props, sensitiveProps(t)...)
		ds.schemas[t] = newSchema(props, objTypes[t].mutable)
	}
	st := &state{}
	for t := 0; t < numTypes; t++ {
		st.recs[t] = ds.generateRecords(t, cfg.Scale)
		ds.generated[t] = st.recs[t].n()
	}
	ds.buildGraph(st)
	generateForms(ds, cfg.Forms, cfg.FormSubmissionCounts)
	st.events = generateEvents(ds, cfg.EmailEvents)
	return ds, st
}
