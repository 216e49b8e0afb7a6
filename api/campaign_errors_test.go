package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/store/storetest"
)

// TestCampaignCreateErrorsNameFields: a client following the OpenAPI
// document, or one sending nothing, is told which field is wrong and why
// (issue 16, items 18 and 21).
func TestCampaignCreateErrorsNameFields(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixture(t, db)
		for _, tc := range []struct {
			name string
			body string
			want map[string]string // field → a part of its message
			not  []string          // fields that must not be named
		}{
			{"empty body names the missing fields, not the defaults", `{}`,
				map[string]string{"year": "Năm phải từ", "decision.number": "", "decision.date": "", "decision.signer": ""},
				[]string{"calendar", "ward_plan_due", "exit_period"}},
			{"a date as an object names the field", `{"year":2024,"decision":{"number":"301/QĐ-BCĐ","date":{"Day":7,"Month":2,"Year":2024},"signer":"Trưởng ban"}}`,
				map[string]string{"decision.date": "YYYY-MM-DD"}, nil},
			{"a day that does not exist says so", `{"year":2024,"decision":{"number":"301/QĐ-BCĐ","date":"2024-02-31","signer":"Trưởng ban"}}`,
				map[string]string{"decision.date": "không tồn tại"}, nil},
			{"a date in another form says the form", `{"year":2024,"decision":{"number":"301/QĐ-BCĐ","date":"07/02/2024","signer":"Trưởng ban"}}`,
				map[string]string{"decision.date": "YYYY-MM-DD"}, nil},
			{"a date in the calendar names it", `{"year":2024,"decision":{"number":"1","date":"2024-02-07","signer":"A"},"calendar":[{"code":"Q1","name":"Quý I","start":"2023-12-15","end":"2024-03-12","due":5}]}`,
				map[string]string{"calendar.due": "YYYY-MM-DD"}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := f.must(t, f.tok["province"], "POST", "/api/v1/campaigns", tc.body, http.StatusBadRequest, nil)
				var e errorBody
				if err := json.Unmarshal(res.Body, &e); err != nil {
					t.Fatal(err)
				}
				for field, part := range tc.want {
					msg, ok := e.Error.Fields[field]
					if !ok || !strings.Contains(msg, part) {
						t.Errorf("field %s: %q (named %v), want a message with %q; all: %v", field, msg, ok, part, e.Error.Fields)
					}
				}
				for k := range e.Error.Fields {
					for _, not := range tc.not {
						if strings.HasPrefix(k, not) {
							t.Errorf("names %s (%s) for a body that did not set it", k, e.Error.Fields[k])
						}
					}
					if k == "body" {
						t.Errorf("names no field: body: %s", e.Error.Fields[k])
					}
				}
			})
		}
	})
}
