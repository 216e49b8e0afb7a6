package api_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Every HTML page the UI tests render — through the HTTP client or in
// chromium — passes through htmlChecker, which parses it with
// golang.org/x/net/html and checks basic validity and accessibility:
//
//   - a <!DOCTYPE html>, <html lang>, a non-empty <title> and one <h1>;
//   - well-formed markup: every non-void element closed in order (optional
//     end tags aside), no block element opened inside a <p>, no attribute
//     twice in one tag, no nested forms;
//   - ids unique; every label's for, aria-labelledby and aria-describedby
//     names an element that exists;
//   - every <input>, <select> and <textarea> (but hidden inputs and
//     buttons) has a <label for> bound to its id, a wrapping <label>, an
//     aria-label or an aria-labelledby;
//   - every <img> has an alt attribute;
//   - every form posted carries the CSRF token.
//
// A failure names the page's path and the rule; the test that rendered the
// page fails when it ends.

// checkHTML returns the problems of one page, empty when it passes.
func checkHTML(page []byte) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	checkTokens(page, add)
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		add("parse: %v", err)
		return problems
	}
	checkTree(doc, add)
	return problems
}

// voidElements have no end tag.
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// optionalEnd are the elements whose end tag HTML lets an author omit.
var optionalEnd = map[string]bool{"p": true, "li": true, "dt": true, "dd": true, "option": true, "optgroup": true, "tr": true,
	"td": true, "th": true, "thead": true, "tbody": true, "tfoot": true, "colgroup": true, "html": true, "head": true, "body": true}

// closesP are the start tags that implicitly close an open <p>: written
// inside one, they end the paragraph early and leave a stray </p>.
var closesP = map[string]bool{"address": true, "article": true, "aside": true, "blockquote": true, "details": true, "div": true,
	"dl": true, "fieldset": true, "figcaption": true, "figure": true, "footer": true, "form": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "header": true, "hr": true, "main": true, "nav": true, "ol": true, "p": true, "pre": true,
	"section": true, "table": true, "ul": true}

// checkTokens walks the raw tokens: the parser would silently repair what
// this reports.
func checkTokens(page []byte, add func(string, ...any)) {
	z := html.NewTokenizer(bytes.NewReader(page))
	var stack []string
	sawDoctype := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				add("tokenize: %v", z.Err())
			}
			for i := len(stack) - 1; i >= 0; i-- {
				if !optionalEnd[stack[i]] {
					add("<%s> is never closed", stack[i])
				}
			}
			if !sawDoctype {
				add("no <!DOCTYPE html>")
			}
			return
		case html.DoctypeToken:
			if strings.EqualFold(string(z.Text()), "html") {
				sawDoctype = true
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			name := tok.Data
			seen := map[string]bool{}
			for _, a := range tok.Attr {
				if seen[a.Key] {
					add("<%s> has the attribute %s twice", name, a.Key)
				}
				seen[a.Key] = true
			}
			if len(stack) > 0 && stack[len(stack)-1] == "p" && closesP[name] {
				add("<%s> inside <p>", name)
			}
			if name == "form" && slices.Contains(stack, "form") {
				add("a <form> inside a <form>")
			}
			if voidElements[name] {
				continue
			}
			if tt == html.SelfClosingTagToken {
				if name != "svg" && !inSVG(stack) {
					add("<%s/>: only void and SVG elements may be self-closed", name)
				}
				continue
			}
			stack = append(stack, name)
		case html.EndTagToken:
			tok := z.Token()
			name := tok.Data
			i := len(stack) - 1
			for i >= 0 && stack[i] != name {
				i--
			}
			if i < 0 {
				if !voidElements[name] {
					add("stray </%s>", name)
				}
				continue
			}
			for j := len(stack) - 1; j > i; j-- {
				if !optionalEnd[stack[j]] {
					add("<%s> closed by </%s>", stack[j], name)
				}
			}
			stack = stack[:i]
		}
	}
}

func inSVG(stack []string) bool { return slices.Contains(stack, "svg") }

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// checkTree checks the parsed document: the rules that need the whole page.
func checkTree(doc *html.Node, add func(string, ...any)) {
	ids := map[string]*html.Node{}
	labelFor := map[string]bool{}
	var h1, titles int
	var title string
	var controls []*html.Node
	var refs [][3]string // element, attribute, id referenced
	var walk func(n *html.Node, inLabel bool)
	walk = func(n *html.Node, inLabel bool) {
		if n.Type == html.ElementNode {
			if id, ok := attr(n, "id"); ok {
				switch {
				case strings.TrimSpace(id) == "":
					add("<%s> with an empty id", n.Data)
				case ids[id] != nil:
					add("id %q is used twice (<%s> and <%s>)", id, ids[id].Data, n.Data)
				default:
					ids[id] = n
				}
			}
			for _, k := range []string{"aria-labelledby", "aria-describedby"} {
				if v, ok := attr(n, k); ok {
					for _, ref := range strings.Fields(v) {
						refs = append(refs, [3]string{n.Data, k, ref})
					}
				}
			}
			switch n.DataAtom {
			case atom.Html:
				if lang, _ := attr(n, "lang"); strings.TrimSpace(lang) == "" {
					add("<html> has no lang")
				}
			case atom.Title:
				if !inSVG(ancestors(n)) {
					titles++
					title = textOf(n)
				}
			case atom.H1:
				h1++
			case atom.Img:
				if _, ok := attr(n, "alt"); !ok {
					src, _ := attr(n, "src")
					add("<img src=%q> has no alt", src)
				}
			case atom.Label:
				if f, ok := attr(n, "for"); ok {
					labelFor[f] = true
					refs = append(refs, [3]string{"label", "for", f})
				}
				inLabel = true
			case atom.Input, atom.Select, atom.Textarea:
				typ, _ := attr(n, "type")
				switch strings.ToLower(typ) {
				case "hidden", "submit", "button", "reset", "image":
				default:
					if !inLabel {
						controls = append(controls, n)
					}
				}
			case atom.Form:
				if m, _ := attr(n, "method"); strings.EqualFold(m, "post") && !hasCSRF(n) {
					action, _ := attr(n, "action")
					add("<form method=post action=%q> has no _csrf field", action)
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch, inLabel)
		}
	}
	walk(doc, false)
	if titles != 1 || strings.TrimSpace(title) == "" {
		add("want one non-empty <title>, have %d (%q)", titles, title)
	}
	if h1 != 1 {
		add("want one <h1>, have %d", h1)
	}
	for _, r := range refs {
		if ids[r[2]] == nil {
			add("<%s %s=%q> names no element", r[0], r[1], r[2])
		}
	}
	for _, n := range controls {
		id, _ := attr(n, "id")
		if _, ok := attr(n, "aria-label"); ok {
			continue
		}
		if _, ok := attr(n, "aria-labelledby"); ok {
			continue
		}
		if id != "" && labelFor[id] {
			continue
		}
		name, _ := attr(n, "name")
		add("<%s name=%q id=%q> has no label", n.Data, name, id)
	}
}

func ancestors(n *html.Node) []string {
	var out []string
	for p := n.Parent; p != nil; p = p.Parent {
		out = append(out, p.Data)
	}
	return out
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func hasCSRF(form *html.Node) bool {
	var found bool
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Input {
			if name, _ := attr(n, "name"); name == "_csrf" {
				found = true
			}
		}
		for c := n.FirstChild; c != nil && !found; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	return found
}

// htmlChecker wraps the test server's handler and checks every HTML answer.
type htmlChecker struct {
	next     http.Handler
	mu       sync.Mutex
	pages    int
	problems map[string][]string // "GET /path (status)" → problems
}

func newHTMLChecker(next http.Handler) *htmlChecker {
	return &htmlChecker{next: next, problems: map[string][]string{}}
}

func (h *htmlChecker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &recordingWriter{ResponseWriter: w}
	h.next.ServeHTTP(rec, r)
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || r.Method == http.MethodHead {
		return
	}
	body := rec.buf.Bytes()
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			h.report(r, rec.status, []string{"gzip: " + err.Error()})
			return
		}
		if body, err = io.ReadAll(zr); err != nil {
			h.report(r, rec.status, []string{"gzip: " + err.Error()})
			return
		}
	}
	h.report(r, rec.status, checkHTML(body))
}

func (h *htmlChecker) report(r *http.Request, status int, problems []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pages++
	if len(problems) > 0 {
		h.problems[fmt.Sprintf("%s %s (%d)", r.Method, r.URL.Path, status)] = problems
	}
}

// verify fails t with every problem found; called when the server is closed.
func (h *htmlChecker) verify(t testing.TB) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	t.Logf("HTML check: %d pages, %d with problems", h.pages, len(h.problems))
	failProblems(t, "invalid HTML in", h.problems)
}

// failProblems fails t once per answer with problems, in the order of
// their keys ("GET /path (status)"), each headed by what.
func failProblems(t testing.TB, what string, problems map[string][]string) {
	t.Helper()
	keys := make([]string, 0, len(problems))
	for k := range problems {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Errorf("%s %s:\n\t%s", what, k, strings.Join(problems[k], "\n\t"))
	}
}

// recordingWriter keeps a copy of what the handler writes.
type recordingWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (w *recordingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		w.buf.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush and Hijack.
func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func TestCheckHTML(t *testing.T) {
	const head = `<!DOCTYPE html><html lang="vi"><head><title>T</title></head><body>`
	const foot = `</body></html>`
	for _, tc := range []struct {
		name, body, want string
	}{
		{"valid", `<h1>A</h1><form method="post"><input type="hidden" name="_csrf" value="x"><label for="a">A</label><input id="a" name="a"><img src="x.png" alt=""></form>`, ""},
		{"wrapping label", `<h1>A</h1><label>A <input name="a"></label>`, ""},
		{"aria-label", `<h1>A</h1><select name="s" aria-label="S"></select>`, ""},
		{"no label", `<h1>A</h1><input id="a" name="a">`, `<input name="a" id="a"> has no label`},
		{"label for another id", `<h1>A</h1><label for="b">B</label><textarea id="a" name="a"></textarea>`, `<label for="b"> names no element`},
		{"duplicate id", `<h1 id="x">A</h1><p id="x">B</p>`, `id "x" is used twice`},
		{"two h1", `<h1>A</h1><h1>B</h1>`, "want one <h1>, have 2"},
		{"no alt", `<h1>A</h1><img src="a.png">`, `<img src="a.png"> has no alt`},
		{"unclosed", `<h1>A</h1><div><span>x</div>`, "<span> closed by </div>"},
		{"div in p", `<h1>A</h1><p><div>x</div></p>`, "<div> inside <p>"},
		{"stray end", `<h1>A</h1></section>`, "stray </section>"},
		{"no csrf", `<h1>A</h1><form method="post" action="/x"><button>Go</button></form>`, `has no _csrf field`},
		{"describedby", `<h1>A</h1><label for="a">A</label><input id="a" name="a" aria-describedby="a-hint">`, `names no element`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(checkHTML([]byte(head+tc.body+foot)), "; ")
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("problems = %q, want %q", got, tc.want)
			}
		})
	}
	if got := strings.Join(checkHTML([]byte(`<html><body><h1>A</h1></body></html>`)), "; "); !strings.Contains(got, "no lang") ||
		!strings.Contains(got, "DOCTYPE") || !strings.Contains(got, "<title>") {
		t.Errorf("problems = %q", got)
	}
}
