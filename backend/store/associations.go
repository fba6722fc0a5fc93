package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"sort"
	"strconv"
)

// AssocType is one HubSpot association type between two records, as v4
// sends it.
type AssocType struct {
	Category string `json:"category"` // HUBSPOT_DEFINED, USER_DEFINED, ...
	TypeID   int    `json:"typeId"`
	Label    string `json:"label"`
}

// Association links two records in the direction HubSpot reported it.
type Association struct {
	FromType string      `json:"from_type"`
	FromID   string      `json:"from_id"`
	ToType   string      `json:"to_type"`
	ToID     string      `json:"to_id"`
	Types    []AssocType `json:"types"`
}

type assocKey struct{ fromType, fromID, toType, toID string }

// ReplaceAssociations makes the stored associations from the records fromIDs
// (of fromType) towards toTypes exactly assocs: earlier rows in that scope are
// deleted first, so writing a record again replaces its set rather than
// adding to it. Duplicate pairs in assocs are merged, their types
// deduplicated by (category, typeId). A pair outside the scope that is
// already stored gets the new types.
func (tx *Tx) ReplaceAssociations(ctx context.Context, fromType string, fromIDs []string, toTypes []string, assocs []Association) error {
	enc, err := EncodeAssociations(fromType, fromIDs, toTypes, assocs)
	if err != nil {
		return err
	}
	return tx.ReplaceEncoded(ctx, enc)
}

// EncodedAssociations are a ReplaceAssociations as ReplaceEncoded writes it:
// EncodeAssociations does the work that needs no database, so that an
// extraction does it on the goroutine that fetched them, beside the one
// writer.
type EncodedAssociations struct {
	fromType   string
	ids, types string // JSON arrays of the scope; "" for none
	pairs      []rowChunk
}

// EncodeAssociations encodes a ReplaceAssociations for ReplaceEncoded.
func EncodeAssociations(fromType string, fromIDs []string, toTypes []string, assocs []Association) (EncodedAssociations, error) {
	enc := EncodedAssociations{fromType: fromType}
	if len(fromIDs) > 0 && len(toTypes) > 0 {
		ids, err := json.Marshal(fromIDs)
		if err != nil {
			return EncodedAssociations{}, fmt.Errorf("replace %s associations: %w", fromType, err)
		}
		types, err := json.Marshal(toTypes)
		if err != nil {
			return EncodedAssociations{}, fmt.Errorf("replace %s associations: %w", fromType, err)
		}
		enc.ids, enc.types = string(ids), string(types)
	}
	merged, err := mergeAssociations(assocs)
	if err != nil {
		return EncodedAssociations{}, fmt.Errorf("replace %s associations: %w", fromType, err)
	}
	enc.pairs = encodePairs(merged)
	return enc, nil
}

// ReplaceEncoded writes a ReplaceAssociations EncodeAssociations encoded.
func (tx *Tx) ReplaceEncoded(ctx context.Context, enc EncodedAssociations) error {
	if enc.ids != "" {
		if _, err := tx.execCached(ctx, `DELETE FROM associations WHERE from_type = ?
			AND from_id IN (SELECT value FROM json_each(?))
			AND to_type IN (SELECT value FROM json_each(?))`, enc.fromType, enc.ids, enc.types); err != nil {
			return fmt.Errorf("replace %s associations: delete old: %w", enc.fromType, err)
		}
	}
	if err := tx.putPairs(ctx, enc.pairs); err != nil {
		return fmt.Errorf("replace %s associations: %w", enc.fromType, err)
	}
	return nil
}

// AddAssociations adds assocs to what is stored: a pair already stored keeps
// its types plus the new ones. For the extra pages HubSpot gives when a
// record has more associations than fit inline.
func (tx *Tx) AddAssociations(ctx context.Context, assocs []Association) error {
	merged, err := mergeAssociations(assocs)
	if err != nil {
		return fmt.Errorf("add associations: %w", err)
	}
	if len(merged) == 0 {
		return nil
	}
	get, err := tx.tx.PrepareContext(ctx, `SELECT types FROM associations
		WHERE from_type = ? AND from_id = ? AND to_type = ? AND to_id = ?`)
	if err != nil {
		return fmt.Errorf("add associations: %w", err)
	}
	defer get.Close()
	for i, a := range merged {
		var stored string
		err := get.QueryRowContext(ctx, a.FromType, a.FromID, a.ToType, a.ToID).Scan(&stored)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("add associations %s %s -> %s %s: %w", a.FromType, a.FromID, a.ToType, a.ToID, err)
		default:
			var old []AssocType
			if err := json.Unmarshal([]byte(stored), &old); err != nil {
				return fmt.Errorf("add associations %s %s -> %s %s: decode stored types: %w",
					a.FromType, a.FromID, a.ToType, a.ToID, err)
			}
			merged[i].Types = mergeTypes(old, a.Types)
		}
	}
	if err := tx.putPairs(ctx, encodePairs(merged)); err != nil {
		return fmt.Errorf("add associations: %w", err)
	}
	return nil
}

// encodePairs encodes pairs with their types for putPairs, as multi-row
// statements (a statement per pair cost a quarter of an unthrottled run's
// writes) of a power of two pairs, at most assocChunk, so that their texts
// are few and stay prepared (execCached): with one statement per page, each
// page's own number of pairs made a text to parse again.
func encodePairs(pairs []Association) []rowChunk {
	var chunks []rowChunk
	for len(pairs) > 0 {
		n := min(assocChunk, 1<<(bits.Len(uint(len(pairs)))-1))
		chunk := pairs[:n]
		pairs = pairs[n:]
		types := pieces(len(chunk), func(dst []byte, i int) []byte { return appendAssocTypes(dst, chunk[i].Types) })
		args := make([]any, 0, len(chunk)*5)
		for i, a := range chunk {
			args = append(args, a.FromType, a.FromID, a.ToType, a.ToID, types[i])
		}
		chunks = append(chunks, rowChunk{n: len(chunk), typ: chunk[0].FromType, firstID: chunk[0].FromID, args: args})
	}
	return chunks
}

// putPairs writes pairs encodePairs encoded, replacing the types of a pair
// already stored.
func (tx *Tx) putPairs(ctx context.Context, chunks []rowChunk) error {
	for _, c := range chunks {
		if _, err := tx.execCached(ctx, `INSERT INTO associations (from_type, from_id, to_type, to_id, types) VALUES `+
			valuesRows(c.n, 5)+`
			ON CONFLICT (from_type, from_id, to_type, to_id) DO UPDATE SET types = excluded.types`, c.args...); err != nil {
			return fmt.Errorf("%d pairs from %s %s: %w", c.n, c.typ, c.firstID, err)
		}
	}
	return nil
}

// assocChunk: a power of two; 5 parameters per pair.
const assocChunk = 512

// appendAssocTypes appends types as json.Marshal encodes them.
func appendAssocTypes(dst []byte, types []AssocType) []byte {
	if types == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, t := range types {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"category":`...)
		dst = appendJSONString(dst, t.Category)
		dst = append(dst, `,"typeId":`...)
		dst = strconv.AppendInt(dst, int64(t.TypeID), 10)
		dst = append(dst, `,"label":`...)
		dst = appendJSONString(dst, t.Label)
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

// mergeAssociations folds duplicate pairs together, keeping first-seen order.
func mergeAssociations(assocs []Association) ([]Association, error) {
	index := map[assocKey]int{}
	var out []Association
	for _, a := range assocs {
		if a.FromType == "" || a.FromID == "" || a.ToType == "" || a.ToID == "" {
			return nil, fmt.Errorf("association %s %q -> %s %q: both ends need a type and an id",
				a.FromType, a.FromID, a.ToType, a.ToID)
		}
		k := assocKey{a.FromType, a.FromID, a.ToType, a.ToID}
		if i, ok := index[k]; ok {
			out[i].Types = mergeTypes(out[i].Types, a.Types)
			continue
		}
		index[k] = len(out)
		a.Types = mergeTypes(nil, a.Types)
		out = append(out, a)
	}
	return out, nil
}

// mergeTypes is the union of a and b by (category, typeId), sorted; of two
// labels for one type the later non-empty one wins (labels can be renamed).
func mergeTypes(a, b []AssocType) []AssocType {
	type key struct {
		category string
		typeID   int
	}
	byKey := map[key]int{}
	out := []AssocType{}
	for _, t := range append(append([]AssocType(nil), a...), b...) {
		k := key{t.Category, t.TypeID}
		if i, ok := byKey[k]; ok {
			if t.Label != "" {
				out[i].Label = t.Label
			}
			continue
		}
		byKey[k] = len(out)
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Category != out[j].Category {
			return out[i].Category < out[j].Category
		}
		return out[i].TypeID < out[j].TypeID
	})
	return out
}

// AssociatedIDs lists, by the other record's type, the ids of the records
// associated with (objectType, id) in either direction, deduplicated and in
// numeric order.
func (db *DB) AssociatedIDs(ctx context.Context, objectType, id string) (map[string][]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT other_type, other_id FROM (
			SELECT to_type AS other_type, to_id AS other_id FROM associations
			WHERE from_type = ?1 AND from_id = ?2
			UNION
			SELECT from_type, from_id FROM associations
			WHERE to_type = ?1 AND to_id = ?2
		) ORDER BY other_type, length(other_id), other_id`, objectType, id)
	if err != nil {
		return nil, fmt.Errorf("associations of %s %s: %w", objectType, id, err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var typ, other string
		if err := rows.Scan(&typ, &other); err != nil {
			return nil, fmt.Errorf("associations of %s %s: %w", objectType, id, err)
		}
		out[typ] = append(out[typ], other)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("associations of %s %s: %w", objectType, id, err)
	}
	return out, nil
}
