package fakehub

import (
	"encoding/base64"
	"strconv"
)

// Everything the fake generates is a pure function of the seed and a few
// integers, so a record can be rebuilt on demand instead of stored. These
// helpers are the one source of that determinism.

const golden = 0x9e3779b97f4a7c15

// mix is the splitmix64 finaliser: a cheap, well-spread 64-bit hash step.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hash combines parts into one well-spread value.
func hash(parts ...uint64) uint64 {
	h := uint64(golden)
	for _, p := range parts {
		h = mix(h^p) + golden
	}
	return h
}

// strHash is FNV-1a, used to turn names into salts.
func strHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// rng is a tiny splitmix64 stream: seeded from a hash, it yields the draws
// one generator needs.
type rng struct{ s uint64 }

func newRNG(parts ...uint64) rng { return rng{s: hash(parts...)} }

func (r *rng) next() uint64 {
	r.s += golden
	return mix(r.s)
}

// intn returns a value in [0, n); n must be positive.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// float returns a value in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

func (r *rng) chance(p float64) bool { return r.float() < p }

func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }

// uuidOf formats two hashes as a version-4-looking UUID, the shape of
// HubSpot's correlation ids, form guids and event ids.
func uuidOf(a, b uint64) string {
	const hexd = "0123456789abcdef"
	var raw [16]byte
	for i := 0; i < 8; i++ {
		raw[i] = byte(a >> (8 * i))
		raw[8+i] = byte(b >> (8 * i))
	}
	raw[6] = raw[6]&0x0f | 0x40
	raw[8] = raw[8]&0x3f | 0x80
	out := make([]byte, 0, 36)
	for i, c := range raw {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hexd[c>>4], hexd[c&0x0f])
	}
	return string(out)
}

// cursor encodes a position as an opaque token, the way HubSpot's
// association and submission cursors look; uncursor reverses it.
func cursor(prefix string, n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(prefix + strconv.Itoa(n)))
}

func uncursor(prefix, tok string) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw) <= len(prefix) || string(raw[:len(prefix)]) != prefix {
		return 0, false
	}
	n, err := strconv.Atoi(string(raw[len(prefix):]))
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}
