package bench

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync/atomic"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/clock"
	"hubextract/backend/extract"
	"hubextract/backend/hubspot"
)

// The reference strategies. These are NOT the product: they are small
// clients written only for this benchmark, each reading associations the
// way an extractor commonly does, so that hubextract's calls and time can be
// compared with theirs on the same data. Each reads every CRM type's
// active records with every (non-sensitive) property, and each record's
// associations with the types hubextract reads inline (catalog.Inline).
// They count what they read and write nothing: no SQLite, which saves them
// the writes' time and memory.
//
// For a fair comparison they send their calls through backend/hubspot's
// client (its HTTP, decoding and retries) where it has the call, keep the
// product's concurrency (extract.AutoConcurrency workers for the rate) and pace every
// call HubSpot charges to its ten-second limit exactly as the product does
// (pacer). The per-record association read is not a call the product
// makes, so the client has no method for it: recordAssociations sends it.
const (
	// Naive lists records, then reads each record's associations with
	// each associated type through the per-record v4 endpoint.
	Naive = "naive"
	// MissingOnly lists records with their associations inline, then
	// reads through the per-record endpoint only the collections that came
	// back empty (or cut at the inline page size).
	MissingOnly = "missing-only"
	// PageBatch lists records, then reads each page's associations with
	// one v4 batch read per associated type.
	PageBatch = "page-batch"
)

// perRecordPage is the most associations the per-record endpoint returns
// a call.
const perRecordPage = 500

// unlimited is the budget given to a client that must not pace itself: the
// reference clients' pacer does it, the unthrottled runs want none.
const unlimited = 1_000_000

// reference is one run of a reference strategy.
type reference struct {
	strategy string
	client   *hubspot.Client
	pace     *pacer
	clk      clock.Clock
	http     *http.Client
	base     string
	token    string
	// batchExempt: HubSpot does not charge the batch association read
	// of the client's API version to the ten-second limit.
	batchExempt bool

	calls, exempt, records, associations atomic.Int64
}

// ObserveCall counts the calls the hubspot client makes for the strategy.
func (r *reference) ObserveCall(ci hubspot.CallInfo) {
	r.calls.Add(1)
	if ci.Exempt {
		r.exempt.Add(1)
	}
}

// runReference runs one reference strategy against the HubSpot at base,
// paced for per10s calls per 10 s (0: not at all), on clk.
func runReference(ctx context.Context, strategy, base, token string, per10s int, clk clock.Clock) (measure, error) {
	switch strategy {
	case Naive, MissingOnly, PageBatch:
	default:
		return measure{}, fmt.Errorf("unknown strategy %q", strategy)
	}
	r := &reference{strategy: strategy, pace: newPacer(clk, per10s), clk: clk, base: base, token: token,
		http: &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}}
	r.client = hubspot.New(token, hubspot.WithBaseURL(base), hubspot.WithClock(clk), hubspot.WithRateLimit(unlimited),
		hubspot.WithSearchRate(unlimited)).Session(r, hubspot.RetryPolicy{})
	for _, op := range hubspot.Operations(r.client.APIVersion()) {
		if op.Name == "batch read associations" {
			r.batchExempt = op.Exempt
		}
	}
	var first []task
	for _, t := range slices.Backward(catalog.CRM()) {
		first = append(first, r.list(t, "", nil))
	}
	start := clk.Now()
	// The product's automatic concurrency: an unpaced run's is that of its
	// unlimited client.
	err := runQueue(ctx, extract.AutoConcurrency(cmp.Or(per10s, unlimited)), first)
	m := measure{Strategy: strategy, Complete: err == nil, Calls: r.calls.Load(), Exempt: r.exempt.Load(),
		Records: r.records.Load(), Associations: r.associations.Load(), Seconds: clk.Now().Sub(start).Seconds()}
	if err != nil && ctx.Err() == nil {
		return m, fmt.Errorf("%s: %w", strategy, err)
	}
	return m, nil
}

// list reads one page of a type (first its property names), and queues
// the next page and the strategy's reads of the page's associations.
func (r *reference) list(objectType, after string, props []string) task {
	return func(ctx context.Context, q *queue) error {
		if props == nil {
			if err := r.pace.wait(ctx); err != nil {
				return err
			}
			defs, err := r.client.Properties(ctx, objectType, "")
			if err != nil {
				return err
			}
			props = make([]string, 0, len(defs))
			for _, d := range defs {
				props = append(props, d.Name)
			}
		}
		inline := catalog.Inline(objectType)
		p := hubspot.ListParams{After: after, Properties: props}
		if r.strategy == MissingOnly {
			p.Associations = inline
		}
		if err := r.pace.wait(ctx); err != nil {
			return err
		}
		page, err := r.client.ListObjects(ctx, objectType, p)
		if err != nil {
			return err
		}
		r.records.Add(int64(len(page.Results)))
		if page.Next != "" {
			q.push(r.list(objectType, page.Next, props))
		}
		switch r.strategy {
		case Naive:
			for _, rec := range page.Results {
				for _, to := range inline {
					q.push(r.perRecord(objectType, rec.ID, to, ""))
				}
			}
		case MissingOnly:
			for _, rec := range page.Results {
				for _, to := range inline {
					c := rec.Associations[to]
					if len(c.Results) == 0 || c.Next != "" {
						q.push(r.perRecord(objectType, rec.ID, to, ""))
						continue
					}
					r.associations.Add(int64(distinct(c.Results)))
				}
			}
		case PageBatch:
			if len(page.Results) == 0 {
				break
			}
			inputs := make([]hubspot.AssociationInput, len(page.Results))
			for i, rec := range page.Results {
				inputs[i] = hubspot.AssociationInput{ID: rec.ID}
			}
			for _, to := range inline {
				q.push(r.batch(objectType, to, inputs))
			}
		}
		return nil
	}
}

// distinct counts the associated ids of an inline collection (an id
// appears once per label).
func distinct(refs []hubspot.AssociationRef) int {
	seen := make(map[string]bool, len(refs))
	for _, a := range refs {
		seen[a.ID] = true
	}
	return len(seen)
}

// batch reads the associations of a page's records with one type, and
// queues one more read for the records whose associations did not fit.
func (r *reference) batch(from, to string, inputs []hubspot.AssociationInput) task {
	return func(ctx context.Context, q *queue) error {
		if !r.batchExempt {
			if err := r.pace.wait(ctx); err != nil {
				return err
			}
		}
		res, err := r.client.BatchReadAssociations(ctx, from, to, inputs)
		if err != nil {
			return err
		}
		if len(res.Failed) > 0 {
			return fmt.Errorf("associations %s→%s: %s", from, to, res.Failed[0])
		}
		var more []hubspot.AssociationInput
		for _, a := range res.Results {
			r.associations.Add(int64(len(a.To)))
			if a.Next != "" {
				more = append(more, hubspot.AssociationInput{ID: a.FromID, After: a.Next})
			}
		}
		if len(more) > 0 {
			q.push(r.batch(from, to, more))
		}
		return nil
	}
}

// perRecord reads one page of one record's associations with one type,
// and queues the next page.
func (r *reference) perRecord(from, id, to, after string) task {
	return func(ctx context.Context, q *queue) error {
		n, next, err := r.recordAssociations(ctx, from, id, to, after)
		if err != nil {
			return err
		}
		r.associations.Add(int64(n))
		if next != "" {
			q.push(r.perRecord(from, id, to, next))
		}
		return nil
	}
}

// recordAssociations sends GET /crm/v4/objects/{from}/{id}/associations/{to}
// (HubSpot charges it to the ten-second limit), retrying a 429, a 5xx or a
// failed connection as the product's client would (up to
// hubspot.DefaultMaxAttempts, backing off 1, 2, 4 … 30 s on the run's
// clock). It returns how many associated records the page held and the
// cursor of the next page.
func (r *reference) recordAssociations(ctx context.Context, from, id, to, after string) (int, string, error) {
	u := r.base + "/crm/v4/objects/" + url.PathEscape(from) + "/" + url.PathEscape(id) + "/associations/" +
		url.PathEscape(to) + fmt.Sprintf("?limit=%d", perRecordPage)
	if after != "" {
		u += "&after=" + url.QueryEscape(after)
	}
	var lastErr error
	for attempt := range hubspot.DefaultMaxAttempts {
		if attempt > 0 {
			if err := r.clk.Sleep(ctx, min(time.Second<<(attempt-1), 30*time.Second)); err != nil {
				return 0, "", err
			}
		}
		if err := r.pace.wait(ctx); err != nil {
			return 0, "", err
		}
		n, next, retry, err := r.getAssociations(ctx, u)
		if !retry {
			return n, next, err
		}
		lastErr = err
	}
	return 0, "", fmt.Errorf("associations of %s %s with %s: giving up: %w", from, id, to, lastErr)
}

// getAssociations makes one attempt; retry says whether another may
// succeed.
func (r *reference) getAssociations(ctx context.Context, u string) (n int, next string, retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, "", false, err
	}
	req.Header.Set("Authorization", "Bearer "+r.token)
	r.calls.Add(1)
	resp, err := r.http.Do(req)
	if err != nil {
		return 0, "", ctx.Err() == nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	switch {
	case err != nil:
		return 0, "", ctx.Err() == nil, err
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return 0, "", true, fmt.Errorf("HTTP %d", resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return 0, "", false, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, body)
	}
	var page struct {
		Results []struct {
			ToObjectID json.Number `json:"toObjectId"`
		} `json:"results"`
		Paging *struct {
			Next *struct {
				After string `json:"after"`
			} `json:"next"`
		} `json:"paging"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return 0, "", false, fmt.Errorf("associations page: %w", err)
	}
	if page.Paging != nil && page.Paging.Next != nil {
		next = page.Paging.Next.After
	}
	return len(page.Results), next, false, nil
}
