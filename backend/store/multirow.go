package store

import (
	"strings"
	"sync"
)

// Multi-row statements: a page's rows go to SQLite in one INSERT each
// (FTS5 flushes its pending index data at the start of every statement in a
// transaction, and each statement costs a parse), in chunks that keep a
// statement's parameters far below SQLite's limit of 32766.

// valuesRows is the VALUES list of rows rows of cols parameters each:
// "(?,?),(?,?)".
func valuesRows(rows, cols int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	return strings.TrimSuffix(strings.Repeat(row+",", rows), ",")
}

// rowChunk is one multi-row statement's rows, encoded: their arguments,
// and the type and first and last ids that name them in an error.
type rowChunk struct {
	n                    int
	typ, firstID, lastID string
	args                 []any
}

// pieces encodes n values, the i-th with add, and hands them back as
// substrings of one string: one allocation for a statement's texts.
func pieces(n int, add func(dst []byte, i int) []byte) []string {
	bp := scratch.Get().(*[]byte)
	buf := (*bp)[:0]
	ends := make([]int, n)
	for i := range n {
		buf = add(buf, i)
		ends[i] = len(buf)
	}
	all := string(buf)
	*bp = buf
	scratch.Put(bp)
	return split(all, ends)
}

// split cuts all into the pieces that end at ends.
func split(all string, ends []int) []string {
	out := make([]string, len(ends))
	from := 0
	for i, end := range ends {
		out[i], from = all[from:end], end
	}
	return out
}

// scratch keeps the buffers pieces encodes into: growing a new one for
// every page was a tenth of what an unthrottled run allocated.
var scratch = sync.Pool{New: func() any { return new([]byte) }}
