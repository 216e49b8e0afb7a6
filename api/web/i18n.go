package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Languages of the interface; Vietnamese first.
const (
	LangVI = "vi"
	LangEN = "en"
)

// Langs lists the supported languages, the default first.
var Langs = []string{LangVI, LangEN}

//go:embed locales/*.json
var localeFS embed.FS

// Catalogue holds every message of the interface per language. A message
// may hold {name} placeholders that T fills from its arguments.
type Catalogue struct {
	msgs map[string]map[string]string
}

// LoadCatalogue reads the embedded message files and checks that every
// language has exactly the keys of Vietnamese, the reference language.
func LoadCatalogue() (*Catalogue, error) {
	c := &Catalogue{msgs: map[string]map[string]string{}}
	for _, lang := range Langs {
		b, err := localeFS.ReadFile("locales/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("web: catalogue %s: %w", lang, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("web: catalogue %s: %w", lang, err)
		}
		c.msgs[lang] = m
	}
	ref := c.msgs[LangVI]
	var problems []string
	for _, lang := range Langs[1:] {
		for k := range ref {
			if _, ok := c.msgs[lang][k]; !ok {
				problems = append(problems, lang+": missing "+k)
			}
		}
		for k := range c.msgs[lang] {
			if _, ok := ref[k]; !ok {
				problems = append(problems, lang+": unknown "+k)
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("web: catalogue: %s", strings.Join(problems, "; "))
	}
	return c, nil
}

// Has reports whether key is in the catalogue.
func (c *Catalogue) Has(key string) bool {
	_, ok := c.msgs[LangVI][key]
	return ok
}

// Keys returns every key, sorted.
func (c *Catalogue) Keys() []string {
	out := make([]string, 0, len(c.msgs[LangVI]))
	for k := range c.msgs[LangVI] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// NormLang returns lang when supported, Vietnamese otherwise.
func NormLang(lang string) string {
	for _, l := range Langs {
		if l == lang {
			return l
		}
	}
	return LangVI
}

// T returns the message key in lang with its placeholders filled from
// args, given as name, value pairs: T("vi", "home.days_left", "n", 3).
// A key missing from the catalogue shows as ⟦key⟧ so that tests notice.
func (c *Catalogue) T(lang, key string, args ...any) string {
	m, ok := c.msgs[NormLang(lang)][key]
	if !ok {
		return "⟦" + key + "⟧"
	}
	if len(args) == 0 || !strings.Contains(m, "{") {
		return m
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		name := fmt.Sprint(args[i])
		var v string
		switch x := args[i+1].(type) {
		case int:
			v = FormatInt(lang, int64(x))
		case int64:
			v = FormatInt(lang, x)
		default:
			v = fmt.Sprint(x)
		}
		pairs = append(pairs, "{"+name+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(m)
}
