package web

import (
	"regexp"
	"slices"
	"sort"
	"testing"

	"chuyenhoa/domain"
)

// TestDomainKeysInCatalogue checks every key the domain's message
// constructors can emit (domain.Keys) against both catalogues: present in
// each, with the same placeholders in Vietnamese and English, every
// argument the constructor fills used, and nothing else asked for but the
// field's label, which the pages add.
func TestDomainKeysInCatalogue(t *testing.T) {
	c, err := LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	placeholder := regexp.MustCompile(`\{([a-z_]+)\}`)
	names := func(msg string) []string {
		var out []string
		for _, m := range placeholder.FindAllStringSubmatch(msg, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
		sort.Strings(out)
		return out
	}
	for key, args := range domain.Keys {
		t.Run(key, func(t *testing.T) {
			if !c.Has(key) {
				t.Fatalf("%s is not in the catalogue", key)
			}
			vi, en := names(c.T(LangVI, key)), names(c.T(LangEN, key))
			if !slices.Equal(vi, en) {
				t.Errorf("placeholders: vi %v, en %v", vi, en)
			}
			for _, a := range args {
				if !slices.Contains(en, a) {
					t.Errorf("argument {%s} is not used", a)
				}
			}
			for _, p := range en {
				if p != "label" && !slices.Contains(args, p) {
					t.Errorf("placeholder {%s} is not filled by the constructor", p)
				}
			}
		})
	}
}
