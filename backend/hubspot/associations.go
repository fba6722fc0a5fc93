package hubspot

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// MaxAssociationInputs is the v4 batch read's limit per call.
const MaxAssociationInputs = 1000

// AssociationInput asks for one record's associations; After continues a
// record whose associations span several pages.
type AssociationInput struct {
	ID    string `json:"id"`
	After string `json:"after,omitempty"`
}

// AssociationBatch is the answer to one v4 batch read. Records with no
// associations of the type are absent from both lists (zero, not failure).
type AssociationBatch struct {
	Results []AssociationResult
	Failed  []BatchError
}

// AssociationResult is one page of one record's associations; Next is ""
// on its last page (pass it back as AssociationInput.After otherwise).
type AssociationResult struct {
	FromID string
	To     []AssociatedObject
	Next   string
}

// AssociatedObject is one associated record and the association types
// (labels) linking it.
type AssociatedObject struct {
	ID    string
	Types []AssociationType
}

// AssociationType: Category is HUBSPOT_DEFINED, USER_DEFINED or
// INTEGRATOR_DEFINED; Label is "" for an unlabelled association.
type AssociationType struct {
	Category string
	TypeID   int
	Label    string
}

// BatchError is one per-input failure of a batch call.
type BatchError struct {
	Status      string
	Category    string
	SubCategory string
	Message     string
	IDs         []string            // the inputs it concerns, when HubSpot names them
	Context     map[string][]string // HubSpot's context, as given
}

func (e BatchError) String() string {
	s := e.Category
	if e.SubCategory != "" {
		s += " " + e.SubCategory
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if len(e.IDs) > 0 {
		s += " (ids " + strings.Join(e.IDs, ", ") + ")"
	}
	return s
}

// batchError is the wire form: subCategory is a string in the v4 docs but
// an object in some answers, so it is kept raw.
type batchError struct {
	Status      string                     `json:"status"`
	Category    string                     `json:"category"`
	SubCategory json.RawMessage            `json:"subCategory"`
	Message     string                     `json:"message"`
	Context     map[string]json.RawMessage `json:"context"`
}

func (w batchError) public() BatchError {
	e := BatchError{Status: w.Status, Category: w.Category, Message: w.Message}
	var sub string
	if json.Unmarshal(w.SubCategory, &sub) == nil {
		e.SubCategory = sub
	} else if len(w.SubCategory) > 0 && string(w.SubCategory) != "null" {
		e.SubCategory = string(w.SubCategory)
	}
	if len(w.Context) > 0 {
		e.Context = make(map[string][]string, len(w.Context))
		keys := make([]string, 0, len(w.Context))
		for k := range w.Context {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			var list []idString
			if json.Unmarshal(w.Context[k], &list) != nil {
				var one idString
				if json.Unmarshal(w.Context[k], &one) != nil {
					continue
				}
				list = []idString{one}
			}
			vals := make([]string, len(list))
			for i, v := range list {
				vals[i] = string(v)
			}
			e.Context[k] = vals
			if namesIDs(k) {
				e.IDs = append(e.IDs, vals...)
			}
		}
	}
	return e
}

// namesIDs reports whether a context key lists record ids: "ids",
// "fromObjectId", "objectIds"; not "invalidPropertyNames".
func namesIDs(key string) bool {
	k := strings.ToLower(key)
	return strings.HasSuffix(k, "id") || strings.HasSuffix(k, "ids")
}

// noAssociations: HubSpot reports "this record has none of that type" as
// an error; it means zero.
func (w batchError) noAssociations() bool {
	return strings.Contains(string(w.SubCategory), "NO_ASSOCIATIONS_FOUND")
}

// BatchReadAssociations reads the associations from fromType records to
// toType, up to 1,000 inputs per call (more is refused before sending).
// toObjectId arrives as a JSON number and is kept as its exact digits.
func (c *Client) BatchReadAssociations(ctx context.Context, fromType, toType string, inputs []AssociationInput) (AssociationBatch, error) {
	if len(inputs) > MaxAssociationInputs {
		return AssociationBatch{}, fmt.Errorf("associations %s→%s: %d inputs, at most %d per call", fromType, toType, len(inputs), MaxAssociationInputs)
	}
	if len(inputs) == 0 {
		return AssociationBatch{}, nil
	}
	var r struct {
		Results []struct {
			From struct {
				ID idString `json:"id"`
			} `json:"from"`
			To []struct {
				ToObjectID       idString `json:"toObjectId"`
				AssociationTypes []struct {
					Category string  `json:"category"`
					TypeID   int     `json:"typeId"`
					Label    *string `json:"label"`
				} `json:"associationTypes"`
			} `json:"to"`
			Paging *paging `json:"paging"`
		} `json:"results"`
		Errors []batchError `json:"errors"`
	}
	body := struct {
		Inputs []AssociationInput `json:"inputs"`
	}{inputs}
	endpoint := "associations " + fromType + "→" + toType
	if err := c.postJSON(ctx, endpoint, opBatchReadAssociations, []string{fromType, toType}, "", body, &r); err != nil {
		return AssociationBatch{}, fmt.Errorf("associations %s→%s (%d ids): %w", fromType, toType, len(inputs), err)
	}
	out := AssociationBatch{Results: make([]AssociationResult, 0, len(r.Results))}
	for _, res := range r.Results {
		ar := AssociationResult{FromID: string(res.From.ID), Next: res.Paging.after(), To: make([]AssociatedObject, 0, len(res.To))}
		for _, to := range res.To {
			ao := AssociatedObject{ID: string(to.ToObjectID), Types: make([]AssociationType, 0, len(to.AssociationTypes))}
			for _, t := range to.AssociationTypes {
				at := AssociationType{Category: t.Category, TypeID: t.TypeID}
				if t.Label != nil {
					at.Label = *t.Label
				}
				ao.Types = append(ao.Types, at)
			}
			ar.To = append(ar.To, ao)
		}
		out.Results = append(out.Results, ar)
	}
	for _, e := range r.Errors {
		if !e.noAssociations() {
			out.Failed = append(out.Failed, e.public())
		}
	}
	return out, nil
}
