package fakehub

import (
	"fmt"
	"strconv"
	"strings"
)

// Value pools for generated records. They deliberately include what breaks
// naive exporters: unicode, emoji, commas, quotes, newlines, empty strings,
// and cells a spreadsheet would run as formulas.

var firstNames = []string{
	"Anna", "Ben", "Chloé", "Dmitri", "Émile", "Fatima", "Günther", "Hiroshi", "Inês", "Jürgen",
	"Kateřina", "Liam", "Mária", "Nikolaj", "Olivia", "Paweł", "Quentin", "Renée", "Søren", "Tomás",
	"Ümit", "Valentina", "Wei", "Xiulan", "Yusuf", "Zoë", "李娜", "王芳", "Mohammed", "Priya",
	"José", "Björn", "Łukasz", "Ngozi", "Aoife", "Siobhán", "Sarah", "David", "Emma", "Noah",
}

var lastNames = []string{
	"Müller", "García", "Nguyen", "O'Brien", "Smith", "Kowalski", "Johansson", "Dubois", "Rossi",
	"van der Berg", "Núñez", "Østergaard", "Schröder", "Tanaka", "Kim", "Patel", "Okafor", "Li", "张",
	"Ivanova", "D'Angelo", "Smith-Jones", "MacLeod", "Fernández", "Brown", "Wilson", "Taylor", "Martin",
}

// tricky values a careful exporter must round-trip unchanged.
var trickyStrings = []string{
	`Say "hello"`, "Smith, Jr.", "Line one\nLine two", "", "=1+2",
	`=HYPERLINK("http://example.com","click me")`, "+33 1 23 45 67 89", "-42", "@mention",
	"\tTabbed", "José 🚀", "中文名字", "Zoë ✨ Ünïcödé", "a,b,c", "'single quoted'", `"double quoted"`,
	`C:\path\to\file`, "<b>bold</b>", "carriage\r\nreturn", "=cmd|' /C calc'!A0", "emoji only 🎉🎉",
}

var companyNames = []string{
	"Acme Corp", "Globex, Inc.", "Initech", "Müller & Söhne GmbH", "Société Générale d'Essai",
	"北京科技有限公司", `Umbrella "Health" Ltd`, "Stark Industries", "Wayne Enterprises", "Hooli",
	"Pied Piper", "Zürich Versicherungs AG", "Café Olé S.A.", "Tyrell Corp", "Ønskebrønn AS",
	"Cyberdyne Systems", "Soylent 🌱 Foods", "Vandelay Industries", "Dunder Mifflin", "Bluth Company",
	"Oceanic Airlines", "Nakatomi Trading", "Łódź Logistics sp. z o.o.", "São Paulo Têxteis",
}

var emailLocal = []string{"anna", "ben", "chloe", "dmitri", "emile", "fatima", "guenther", "hiroshi",
	"ines", "juergen", "liam", "maria", "olivia", "pawel", "renee", "soren", "tomas", "wei", "yusuf", "zoe"}

var emailDomains = []string{"example.com", "example.org", "mail.example.net", "corp.example.io", "EXAMPLE.COM"}

var cities = []string{"Berlin", "Zürich", "São Paulo", "Kraków", "Montréal", "東京", "London", "New York",
	"Dublin", "Århus", "Reykjavík", "Paris", "Lagos", "Mumbai", "Austin"}

var countries = []string{"Germany", "Switzerland", "Brazil", "Poland", "Canada", "Japan", "United Kingdom",
	"United States", "Ireland", "Denmark", "Iceland", "France", "Nigeria", "India"}

var jobTitles = []string{"CEO", "VP Sales", "Head of Marketing", "Software Engineer", "Office Manager",
	"Directeur Général", "Geschäftsführerin", "Sales, EMEA", "CFO / COO", "Intern"}

var words = []string{"renewal", "onboarding", "pricing", "integration", "contract", "invoice", "demo",
	"migration", "feedback", "escalation", "training", "roadmap", "security review", "café", "Q3 plan"}

// noteBodies are HTML as HubSpot stores note, call and email bodies. One
// carries a script tag: the record browser must never run it.
var noteBodies = []string{
	"<p>Called about the renewal. Next steps:</p><ul><li>Send quote</li><li>Book demo</li></ul>",
	"<p>Customer said: &quot;we're happy with it&quot;, wants more seats.</p>",
	"<div><b>Important</b>: price &lt; 1000 &amp; term &gt; 12 months</div>",
	"<p>Réunion à 14h — café ☕ avec l'équipe</p>",
	"<p>=SUM(A1:A9)</p>",
	"<script>alert(1)</script><p>Pasted from a web page</p>",
	"<p>Line one<br>Line two</p>\n<p>Second paragraph, with a comma</p>",
	"<img src=\"x\" onerror=\"alert(2)\"><p>Screenshot attached</p>",
	"<p>会议记录：客户需要中文支持</p>",
	"",
}

// scriptNote is the note body index forced onto one record so the XSS case
// is always present.
const scriptNote = 5

func personName(r *rng, pool []string) string {
	if r.chance(0.06) {
		return pick(r, trickyStrings)
	}
	return pick(r, pool)
}

func phone(r *rng) string {
	switch r.intn(4) {
	case 0:
		return fmt.Sprintf("+1 (%03d) %03d-%04d", 200+r.intn(799), r.intn(1000), r.intn(10000))
	case 1:
		return fmt.Sprintf("+49 30 %d", 1000000+r.intn(8999999))
	case 2:
		return fmt.Sprintf("+44 20 7946 %04d", r.intn(10000))
	default:
		return fmt.Sprintf("0%d", 100000000+r.intn(899999999))
	}
}

func money(r *rng, max int) string {
	cents := r.intn(100)
	if cents%3 == 0 {
		return strconv.Itoa(r.intn(max))
	}
	return fmt.Sprintf("%d.%02d", r.intn(max), cents)
}

func sentence(r *rng, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = pick(r, words)
	}
	s := strings.Join(parts, " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

func slug(s string, id int64) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		b.WriteString("company")
	}
	return fmt.Sprintf("%s-%d", b.String(), id%100000)
}
