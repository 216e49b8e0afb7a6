package domain_test

import (
	"encoding/json"
	"errors"
	"testing"
	"unicode/utf8"

	"chuyenhoa/domain"
)

// FuzzDecodeReportValues checks that the decoder never panics, refuses with
// an EINVALID error only, and accepts only value sets that keep every
// invariant the rest of the product relies on. Seeds live in
// testdata/fuzz/FuzzDecodeReportValues.
func FuzzDecodeReportValues(f *testing.F) {
	f.Add([]byte(`{"tips_received": 10, "tips_processed": 10}`))
	f.Add([]byte(`{"political_system": {"met": true, "note": "Vững mạnh"}, "community_rules": false}`))
	cat := domain.DefaultIndicators()
	types := map[string]string{}
	for _, ind := range cat {
		types[ind.Code] = ind.Type
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := domain.DecodeReportValues(data, cat)
		if err != nil {
			var e *domain.Error
			if !errors.As(err, &e) || e.Code != domain.EINVALID {
				t.Fatalf("error %v is not an EINVALID *domain.Error", err)
			}
			if e.Message == "" {
				t.Fatal("error without a message")
			}
			for field, msg := range e.Fields {
				if msg == "" || !utf8.ValidString(msg) {
					t.Fatalf("Fields[%q] = %q: empty or not UTF-8", field, msg)
				}
			}
			if v != nil {
				t.Fatalf("values %v returned with an error", v)
			}
			return
		}
		for code, val := range v {
			typ, ok := types[code]
			if !ok {
				t.Fatalf("accepted unknown indicator %q", code)
			}
			if !val.IsNull() && val.Kind() != typ {
				t.Fatalf("%s: accepted a %s for a %s indicator", code, val.Kind(), typ)
			}
			if n, ok := val.Count(); ok && n < 0 {
				t.Fatalf("%s: accepted negative count %d", code, n)
			}
			if a, ok := val.Assessment(); ok && utf8.RuneCountInString(a.Note) > 2000 {
				t.Fatalf("%s: accepted a note of %d characters", code, utf8.RuneCountInString(a.Note))
			}
		}
		if err := domain.ValidateReportValues(v); err != nil {
			t.Fatalf("accepted values fail validation: %v", err)
		}
		merged := domain.MergeValues(nil, v)
		if err := domain.ValidateReportValues(merged); err != nil {
			t.Fatalf("merged values fail validation: %v", err)
		}
		for code, val := range merged {
			if val.IsNull() {
				t.Fatalf("merged values keep a null for %q", code)
			}
		}

		// What is accepted must survive storage as JSON unchanged.
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		again, err := domain.DecodeReportValues(b, cat)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		var stored domain.ReportValues
		if err := json.Unmarshal(b, &stored); err != nil {
			t.Fatalf("Unmarshal %s: %v", b, err)
		}
		if !equalValues(again, v) || !equalValues(stored, v) {
			t.Fatalf("round trip changed values: %v -> %s -> %v / %v", v, b, again, stored)
		}
		if d := domain.DiffValues(v, again); len(d) != 0 {
			t.Fatalf("DiffValues after round trip = %v", d)
		}

		e := domain.Evaluate(merged, domain.DefaultThresholds())
		met := 0
		for i, c := range e.Criteria {
			switch c.Status {
			case domain.CriterionMet, domain.CriterionNotApplicable:
				met++
			case domain.CriterionNotMet, domain.CriterionMissing:
			default:
				t.Fatalf("criterion %d: unknown status %q", i+1, c.Status)
			}
			if c.Reason == "" {
				t.Fatalf("criterion %d: no reason", i+1)
			}
		}
		if e.MetCount != met || e.AllMet != (met == 7) {
			t.Fatalf("MetCount = %d, AllMet = %v; counted %d", e.MetCount, e.AllMet, met)
		}
	})
}
