// Package web renders the server-side pages of chuyenhoa: html/template
// files embedded in the binary, one base layout, an explicit map of which
// partials each view uses (checked when the engine is built), the message
// catalogue (Vietnamese first, English second), formatting helpers for
// Vietnamese numbers and dates, our own stylesheet and SVG charts drawn on
// the server. It knows nothing of HTTP routing or storage: api/ builds the
// view data from the same services the JSON API uses.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"chuyenhoa/domain"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// views maps each view (templates/views/NAME.html) to the partials
// (templates/partials/NAME.html) it uses. New refuses a view file missing
// from the map, a partial nobody uses and a name without a file, so the
// set of templates is checked when the server starts, not when a user
// first opens a page.
var views = map[string][]string{
	"login":           nil,
	"error":           nil,
	"home":            {"deadlines", "activity", "badge"},
	"settings":        {"field"},
	"audit":           {"activity", "pager", "field"},
	"admin_provinces": {"field", "pager"},
	"admin_users":     {"field", "pager", "badge"},
	"admin_user_form": {"field"},
	"unit":            {"activity"},
	"report":          {"badge", "report_field", "criteria"},
	"target_areas":    {"badge", "field", "pager", "campaign_picker"},
	"target_area":     {"badge", "field"},
	"review_queue":    {"badge"},
	"campaigns":       {"field"},
	"compare":         {"field", "campaign_picker"},
	"plans":           {"badge", "field", "pager"},
	"plan":            {"badge", "field", "files"},
	"task":            {"badge", "field", "files"},
	"baseline":        {"field"},
	"committee":       {"field"},
	"models":          {"badge", "field"},
}

// Engine renders the views in every language.
type Engine struct {
	cat  *Catalogue
	sets map[string]map[string]*template.Template // lang → view → template
	// CSSPath is the stylesheet's URL, fingerprinted for long caching.
	CSSPath string
	// JSPath is the script's URL, fingerprinted for long caching.
	JSPath string
	assets map[string]asset
	pool   sync.Pool
}

type asset struct {
	body        []byte
	contentType string
}

// New parses and checks every template in every language.
func New() (*Engine, error) {
	cat, err := LoadCatalogue()
	if err != nil {
		return nil, err
	}
	e := &Engine{cat: cat, sets: map[string]map[string]*template.Template{}, assets: map[string]asset{}}
	e.pool.New = func() any { return new(bytes.Buffer) }
	if err := e.loadAssets(); err != nil {
		return nil, err
	}
	if err := checkViewMap(); err != nil {
		return nil, err
	}
	layout, err := fs.ReadFile(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	for _, lang := range Langs {
		e.sets[lang] = map[string]*template.Template{}
		for view, partials := range views {
			t := template.New("layout").Funcs(e.funcs(lang))
			if _, err := t.Parse(string(layout)); err != nil {
				return nil, fmt.Errorf("web: layout: %w", err)
			}
			for _, p := range partials {
				b, err := fs.ReadFile(templateFS, "templates/partials/"+p+".html")
				if err != nil {
					return nil, err
				}
				if _, err := t.New(p).Parse(string(b)); err != nil {
					return nil, fmt.Errorf("web: partial %s: %w", p, err)
				}
			}
			b, err := fs.ReadFile(templateFS, "templates/views/"+view+".html")
			if err != nil {
				return nil, err
			}
			if _, err := t.New(view).Parse(string(b)); err != nil {
				return nil, fmt.Errorf("web: view %s: %w", view, err)
			}
			for _, name := range []string{"title", "content"} {
				if t.Lookup(name) == nil {
					return nil, fmt.Errorf("web: view %s defines no %q", view, name)
				}
			}
			e.sets[lang][view] = t
		}
	}
	return e, nil
}

// MustNew is New for the server's start: a broken template is a build error.
func MustNew() *Engine {
	e, err := New()
	if err != nil {
		panic(err)
	}
	return e
}

func checkViewMap() error {
	var problems []string
	files := func(dir string) map[string]bool {
		out := map[string]bool{}
		ents, _ := fs.ReadDir(templateFS, "templates/"+dir)
		for _, ent := range ents {
			if strings.HasSuffix(ent.Name(), ".html") {
				out[strings.TrimSuffix(ent.Name(), ".html")] = true
			}
		}
		return out
	}
	vfiles, pfiles := files("views"), files("partials")
	used := map[string]bool{}
	for v, ps := range views {
		if !vfiles[v] {
			problems = append(problems, "view "+v+" has no file")
		}
		for _, p := range ps {
			if !pfiles[p] {
				problems = append(problems, "view "+v+" uses partial "+p+", which has no file")
			}
			used[p] = true
		}
	}
	for v := range vfiles {
		if _, ok := views[v]; !ok {
			problems = append(problems, "views/"+v+".html is not in the view map")
		}
	}
	for p := range pfiles {
		if !used[p] {
			problems = append(problems, "partials/"+p+".html is used by no view")
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("web: templates: %s", strings.Join(problems, "; "))
	}
	return nil
}

// Catalogue returns the message catalogue.
func (e *Engine) Catalogue() *Catalogue { return e.cat }

// T translates key into lang (see Catalogue.T).
func (e *Engine) T(lang, key string, args ...any) string { return e.cat.T(lang, key, args...) }

// Views returns the names of every view, sorted.
func (e *Engine) Views() []string {
	out := make([]string, 0, len(views))
	for v := range views {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// Render executes view in lang with data into w. The page is rendered
// into a buffer first so that a template error never sends half a page.
func (e *Engine) Render(w io.Writer, lang, view string, data any) error {
	t, ok := e.sets[NormLang(lang)][view]
	if !ok {
		return fmt.Errorf("web: unknown view %q", view)
	}
	buf := e.pool.Get().(*bytes.Buffer)
	buf.Reset()
	defer e.pool.Put(buf)
	if err := t.ExecuteTemplate(buf, "layout", data); err != nil {
		return fmt.Errorf("web: render %s: %w", view, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func (e *Engine) loadAssets() error {
	for _, name := range []string{"app.css", "app.js"} {
		b, err := fs.ReadFile(staticFS, "static/"+name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ct := "text/css; charset=utf-8"
		if path.Ext(name) == ".js" {
			ct = "text/javascript; charset=utf-8"
		}
		e.assets[name] = asset{body: b, contentType: ct}
		p := "/static/" + name + "?v=" + hex.EncodeToString(sum[:6])
		if name == "app.css" {
			e.CSSPath = p
		} else {
			e.JSPath = p
		}
	}
	return nil
}

// Asset returns a static file's body and content type.
func (e *Engine) Asset(name string) ([]byte, string, bool) {
	a, ok := e.assets[name]
	return a.body, a.contentType, ok
}

func (e *Engine) funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"t": func(key string, args ...any) string { return e.cat.T(lang, key, args...) },
		// tk translates a key built from parts: tk "status." .Status.
		"tk":   func(parts ...string) string { return e.cat.T(lang, strings.Join(parts, "")) },
		"lang": func() string { return lang },
		"num":  func(n any) string { return FormatInt(lang, toInt64(n)) },
		"date": FormatDate,
		"time": FormatTime,
		"day":  FormatDay,
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"add":      func(a, b int) int { return a + b },
		"sub":      func(a, b int) int { return a - b },
		"contains": func(list []string, s string) bool { return slices.Contains(list, s) },
		"abs": func(n int) int {
			if n < 0 {
				return -n
			}
			return n
		},
		"isoDate": func(d domain.Date) string {
			if d.IsZero() {
				return ""
			}
			return d.String()
		},
		"isoDay": func(t time.Time) string { return t.In(domain.VietnamLocation()).Format("2006-01-02") },
	}
}

func toInt64(n any) int64 {
	switch x := n.(type) {
	case int:
		return int64(x)
	case int64:
		return x
	case int32:
		return int64(x)
	case *int:
		if x == nil {
			return 0
		}
		return int64(*x)
	case *int64:
		if x == nil {
			return 0
		}
		return *x
	}
	return 0
}
