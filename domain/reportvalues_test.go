package domain_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"chuyenhoa/domain"
)

// values builds ReportValues from code, value pairs; a value is an int,
// int64, bool, domain.Assessment or nil (null).
func values(kv ...any) domain.ReportValues {
	v := domain.ReportValues{}
	for i := 0; i < len(kv); i += 2 {
		code := kv[i].(string)
		switch x := kv[i+1].(type) {
		case int:
			v[code] = domain.CountValue(int64(x))
		case int64:
			v[code] = domain.CountValue(x)
		case bool:
			v[code] = domain.BoolValue(x)
		case domain.Assessment:
			v[code] = domain.AssessmentValue(x)
		case nil:
			v[code] = domain.Value{}
		default:
			panic("values: unsupported type")
		}
	}
	return v
}

// fieldsOf returns the field messages of an EINVALID error or fails the test.
func fieldsOf(tb testing.TB, err error) map[string]string {
	tb.Helper()
	if got, want := domain.ErrorCode(err), domain.EINVALID; got != want {
		tb.Fatalf("ErrorCode = %q, want %q (err %v)", got, want, err)
	}
	return err.(*domain.Error).Fields
}

func equalValues(a, b domain.ReportValues) bool {
	if len(a) != len(b) {
		return false
	}
	for k, av := range a {
		if bv, ok := b[k]; !ok || av != bv {
			return false
		}
	}
	return true
}

func TestDecodeReportValues(t *testing.T) {
	cat := domain.DefaultIndicators()
	for _, tt := range []struct {
		name string
		in   string
		want domain.ReportValues
	}{
		{"Empty", `{}`, values()},
		{"Counts", `{"tips_received": 10, "tips_processed": 10, "patrols": 0}`,
			values("tips_received", 10, "tips_processed", 10, "patrols", 0)},
		{"Bools", `{"community_rules": true, "organised_crime": false}`,
			values("community_rules", true, "organised_crime", false)},
		{"Assessment", `{"political_system": {"met": true, "note": "Vững mạnh"}}`,
			values("political_system", domain.Assessment{Met: true, Note: "Vững mạnh"})},
		{"AssessmentNoNote", `{"political_system": {"met": false}}`,
			values("political_system", domain.Assessment{Met: false})},
		{"AssessmentNullNote", `{"political_system": {"note": null, "met": false}}`,
			values("political_system", domain.Assessment{Met: false})},
		{"NullClears", `{"tips_received": null, "community_rules": null, "political_system": null}`,
			values("tips_received", nil, "community_rules", nil, "political_system", nil)},
		{"MaxInt64", `{"incidents_baseline": 9223372036854775807}`,
			values("incidents_baseline", int64(math.MaxInt64))},
		{"Whitespace", " \n{ \"patrols\" :\t3 }\n", values("patrols", 3)},
		{"EqualIsFine", `{"cases_initiated": 5, "cases_solved": 5, "serious_initiated": 5, "serious_solved": 5}`,
			values("cases_initiated", 5, "cases_solved", 5, "serious_initiated", 5, "serious_solved", 5)},
		{"OneSideOnly", `{"tips_processed": 99}`, values("tips_processed", 99)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.DecodeReportValues([]byte(tt.in), cat)
			if err != nil {
				t.Fatalf("DecodeReportValues: %v", err)
			}
			if !equalValues(got, tt.want) {
				t.Errorf("DecodeReportValues = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDecodeReportValues_Refused(t *testing.T) {
	cat := domain.DefaultIndicators()
	for _, tt := range []struct {
		name string
		in   string
		// fields maps each expected field to a fragment of its message.
		fields map[string]string
	}{
		{"String", `{"tips_received": "abc"}`, map[string]string{"tips_received": "Số tin báo, tố giác tội phạm đã tiếp nhận phải là số nguyên không âm"}},
		{"NumericString", `{"tips_received": "12"}`, map[string]string{"tips_received": "số nguyên không âm"}},
		{"Fraction", `{"patrols": 1.5}`, map[string]string{"patrols": "Số lượt tuần tra phải là số nguyên (không có phần thập phân"}},
		{"WholeFraction", `{"patrols": 1.0}`, map[string]string{"patrols": "phần thập phân"}},
		{"Exponent", `{"patrols": 1e3}`, map[string]string{"patrols": "số mũ"}},
		{"NegativeExponent", `{"patrols": -1e3}`, map[string]string{"patrols": "số mũ"}},
		{"Negative", `{"patrols": -1}`, map[string]string{"patrols": "Số lượt tuần tra không được là số âm"}},
		{"NegativeZero", `{"patrols": -0}`, map[string]string{"patrols": "âm"}},
		{"BoolForCount", `{"patrols": true}`, map[string]string{"patrols": "số nguyên không âm"}},
		{"ObjectForCount", `{"patrols": {}}`, map[string]string{"patrols": "số nguyên không âm"}},
		{"ArrayForCount", `{"patrols": [1]}`, map[string]string{"patrols": "số nguyên không âm"}},
		{"Overflow", `{"patrols": 9223372036854775808}`, map[string]string{"patrols": "Số lượt tuần tra quá lớn"}},
		{"HugeOverflow", `{"patrols": 100000000000000000000000000000}`, map[string]string{"patrols": "quá lớn"}},
		{"NumberForBool", `{"community_rules": 1}`, map[string]string{"community_rules": "phải là có hoặc không"}},
		{"StringForBool", `{"community_rules": "true"}`, map[string]string{"community_rules": "phải là có hoặc không"}},
		{"BareBoolForAssessment", `{"political_system": true}`, map[string]string{"political_system": `"met"`}},
		{"AssessmentNoMet", `{"political_system": {"note": "x"}}`, map[string]string{"political_system": "đánh giá"}},
		{"AssessmentBadMet", `{"political_system": {"met": "yes"}}`, map[string]string{"political_system": "đánh giá"}},
		{"AssessmentNullMet", `{"political_system": {"met": null}}`, map[string]string{"political_system": "đánh giá"}},
		{"AssessmentExtraKey", `{"political_system": {"met": true, "score": 5}}`, map[string]string{"political_system": "đánh giá"}},
		{"AssessmentCaseVariant", `{"political_system": {"MET": true}}`, map[string]string{"political_system": "đánh giá"}},
		{"AssessmentDuplicateMet", `{"political_system": {"met": true, "met": false}}`, map[string]string{"political_system": "đánh giá"}},
		{"AssessmentNoteNotString", `{"political_system": {"met": true, "note": 5}}`, map[string]string{"political_system": "đánh giá"}},
		{"AssessmentNoteTooLong", `{"political_system": {"met": true, "note": "` + strings.Repeat("ạ", 2001) + `"}}`, map[string]string{"political_system": "2000"}},
		{"Unknown", `{"tips": 1}`, map[string]string{"tips": "“tips” không có trong danh mục"}},
		{"DuplicateCode", `{"patrols": 1, "patrols": 2}`, map[string]string{"patrols": "hai lần"}},
		{"ProcessedOverReceived", `{"tips_received": 10, "tips_processed": 12}`,
			map[string]string{"tips_processed": "Số tin báo, tố giác tội phạm đã xử lý (12) không được lớn hơn số tin báo, tố giác tội phạm đã tiếp nhận (10)"}},
		{"SolvedOverInitiated", `{"cases_initiated": 3, "cases_solved": 4}`, map[string]string{"cases_solved": "không được lớn hơn số vụ án hình sự đã khởi tố"}},
		{"SeriousOverAll", `{"cases_initiated": 3, "serious_initiated": 4}`, map[string]string{"serious_initiated": "không được lớn hơn"}},
		{"SeriousSolvedOverSolved", `{"cases_solved": 3, "serious_solved": 4}`, map[string]string{"serious_solved": "đã điều tra, khám phá (3)"}},
		{"SeriousSolvedOverSeriousInitiated", `{"serious_initiated": 3, "serious_solved": 4}`, map[string]string{"serious_solved": "đặc biệt nghiêm trọng đã khởi tố (3)"}},
		{"ReachedOverHouseholds", `{"households": 1000, "households_reached": 1001}`, map[string]string{"households_reached": "(1.001) không được lớn hơn số hộ dân trên địa bàn (1.000)"}},
		{"ReoffendingOverReleased", `{"released_residing": 0, "reoffending": 1}`, map[string]string{"reoffending": "không được lớn hơn"}},
		{"EffectiveOverActive", `{"models_active": 1, "models_effective": 2}`, map[string]string{"models_effective": "không được lớn hơn"}},
		{"AllGathered", `{"tips": 1, "patrols": -1, "community_rules": 0, "tips_received": 1, "tips_processed": 2}`, map[string]string{
			"tips": "danh mục", "patrols": "âm", "community_rules": "có hoặc không", "tips_processed": "không được lớn hơn",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.DecodeReportValues([]byte(tt.in), cat)
			if got != nil {
				t.Errorf("DecodeReportValues = %v, want nil with the error", got)
			}
			fields := fieldsOf(t, err)
			if got, want := len(fields), len(tt.fields); got != want {
				t.Errorf("len(Fields) = %d, want %d: %v", got, want, fields)
			}
			for f, frag := range tt.fields {
				if msg, ok := fields[f]; !ok {
					t.Errorf("no message for %q in %v", f, fields)
				} else if !strings.Contains(msg, frag) {
					t.Errorf("Fields[%q] = %q, want it to contain %q", f, msg, frag)
				}
			}
		})
	}
}

func TestDecodeReportValues_NotAnObject(t *testing.T) {
	cat := domain.DefaultIndicators()
	for _, in := range []string{``, ` `, `null`, `[]`, `5`, `"x"`, `{`, `{"patrols": 1`, `{"patrols" 1}`, `{} {}`, `{}x`, `{"patrols": 01}`, `{"patrols": 1,}`, "\xff"} {
		t.Run(in, func(t *testing.T) {
			got, err := domain.DecodeReportValues([]byte(in), cat)
			if got != nil {
				t.Errorf("DecodeReportValues = %v, want nil", got)
			}
			if got, want := domain.ErrorCode(err), domain.EINVALID; got != want {
				t.Fatalf("ErrorCode = %q, want %q (err %v)", got, want, err)
			}
			if !strings.Contains(domain.ErrorMessage(err), "Số liệu báo cáo") {
				t.Errorf("Message = %q, want it to say what is wrong with the report data", domain.ErrorMessage(err))
			}
		})
	}
}

func TestValidateReportValues(t *testing.T) {
	for _, tt := range []struct {
		name  string
		v     domain.ReportValues
		field string // "" means valid
	}{
		{"Empty", values(), ""},
		{"Partial", values("tips_processed", 5), ""},
		{"NullsIgnored", values("tips_received", nil, "tips_processed", 5), ""},
		{"Negative", values("patrols", -1), "patrols"},
		{"TipsEqual", values("tips_received", 5, "tips_processed", 5), ""},
		{"TipsOver", values("tips_received", 5, "tips_processed", 6), "tips_processed"},
		{"SolvedEqual", values("cases_initiated", 5, "cases_solved", 5), ""},
		{"SolvedOver", values("cases_initiated", 5, "cases_solved", 6), "cases_solved"},
		{"SeriousInitiatedOver", values("cases_initiated", 5, "serious_initiated", 6), "serious_initiated"},
		{"SeriousSolvedOverSolved", values("cases_solved", 5, "serious_solved", 6, "serious_initiated", 9), "serious_solved"},
		{"SeriousSolvedOverSeriousInitiated", values("cases_solved", 9, "serious_solved", 6, "serious_initiated", 5), "serious_solved"},
		{"ReachedEqual", values("households", 5, "households_reached", 5), ""},
		{"ReachedOver", values("households", 5, "households_reached", 6), "households_reached"},
		{"ReoffendingOver", values("released_residing", 5, "reoffending", 6), "reoffending"},
		{"EffectiveOver", values("models_active", 5, "models_effective", 6), "models_effective"},
		{"LongNote", values("political_system", domain.Assessment{Note: strings.Repeat("a", 2001)}), "political_system"},
		{"NearOverflow", values("tips_received", int64(math.MaxInt64), "tips_processed", int64(math.MaxInt64)), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.ValidateReportValues(tt.v)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("ValidateReportValues: %v", err)
				}
				return
			}
			if _, ok := fieldsOf(t, err)[tt.field]; !ok {
				t.Errorf("Fields = %v, want %q", err.(*domain.Error).Fields, tt.field)
			}
		})
	}
}

func TestApplyReportPatch(t *testing.T) {
	cat := domain.DefaultIndicators()
	old := values("tips_received", 10, "tips_processed", 8, "community_rules", true)
	snapshot := values("tips_received", 10, "tips_processed", 8, "community_rules", true)
	for _, tt := range []struct {
		name  string
		patch string
		want  domain.ReportValues
		field string // expected error field, "" when accepted
	}{
		{"Add", `{"patrols": 4}`, values("tips_received", 10, "tips_processed", 8, "community_rules", true, "patrols", 4), ""},
		{"Replace", `{"tips_processed": 10}`, values("tips_received", 10, "tips_processed", 10, "community_rules", true), ""},
		{"Clear", `{"tips_processed": null, "community_rules": null}`, values("tips_received", 10), ""},
		{"ClearAbsent", `{"patrols": null}`, snapshot, ""},
		{"ReceivedBelowStoredProcessed", `{"tips_received": 5}`, nil, "tips_received"},
		{"ProcessedAboveStoredReceived", `{"tips_processed": 11}`, nil, "tips_processed"},
		{"BadValueRefusesAll", `{"patrols": 4, "tips_processed": "x"}`, nil, "tips_processed"},
		{"ClearingTheWholeIsFine", `{"tips_received": null}`, values("tips_processed", 8, "community_rules", true), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ApplyReportPatch(old, []byte(tt.patch), cat)
			if !equalValues(old, snapshot) {
				t.Fatalf("old was modified: %v", old)
			}
			if tt.field != "" {
				if got != nil {
					t.Errorf("ApplyReportPatch = %v, want nil", got)
				}
				if _, ok := fieldsOf(t, err)[tt.field]; !ok {
					t.Errorf("Fields = %v, want %q", err.(*domain.Error).Fields, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatalf("ApplyReportPatch: %v", err)
			}
			if !equalValues(got, tt.want) {
				t.Errorf("ApplyReportPatch = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMergeValues(t *testing.T) {
	old := values("a", 1, "b", 2, "n", nil)
	patch := values("b", nil, "c", true)
	got := domain.MergeValues(old, patch)
	if want := values("a", 1, "c", true); !equalValues(got, want) {
		t.Errorf("MergeValues = %v, want %v", got, want)
	}
	if want := values("a", 1, "b", 2, "n", nil); !equalValues(old, want) {
		t.Errorf("old modified: %v", old)
	}
	if got, want := len(domain.MergeValues(nil, nil)), 0; got != want {
		t.Errorf("len(MergeValues(nil, nil)) = %d, want %d", got, want)
	}
}

func TestDiffValues(t *testing.T) {
	a := values("tips_received", 10, "patrols", 3, "community_rules", true, "gone", 1, "null", nil)
	b := values("tips_received", 10, "patrols", 4, "community_rules", false, "added", domain.Assessment{Met: true}, "null2", nil)
	got := domain.DiffValues(a, b)
	want := []domain.ValueChange{
		{Code: "added", New: domain.AssessmentValue(domain.Assessment{Met: true})},
		{Code: "community_rules", Old: domain.BoolValue(true), New: domain.BoolValue(false)},
		{Code: "gone", Old: domain.CountValue(1)},
		{Code: "patrols", Old: domain.CountValue(3), New: domain.CountValue(4)},
	}
	if len(got) != len(want) {
		t.Fatalf("DiffValues = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("DiffValues[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if got := domain.DiffValues(a, a); len(got) != 0 {
		t.Errorf("DiffValues(a, a) = %v, want none", got)
	}
	b2, _ := json.Marshal(got[2])
	if got, want := string(b2), `{"code":"gone","old":1,"new":null}`; got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
}

func TestValue(t *testing.T) {
	t.Run("JSON", func(t *testing.T) {
		v := values("patrols", 1234, "community_rules", false, "political_system", domain.Assessment{Met: true, Note: "Tốt"}, "x", nil)
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		want := `{"community_rules":false,"patrols":1234,"political_system":{"met":true,"note":"Tốt"},"x":null}`
		if got := string(b); got != want {
			t.Errorf("Marshal = %s, want %s", got, want)
		}
		var back domain.ReportValues
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if !equalValues(back, v) {
			t.Errorf("round trip = %v, want %v", back, v)
		}
	})
	t.Run("UnmarshalStrict", func(t *testing.T) {
		for _, bad := range []string{`1.5`, `-1`, `1e2`, `"1"`, `[1]`, `{"met":"y"}`, `{"note":"x"}`, `{"met":true,"x":1}`} {
			var v domain.Value
			if err := json.Unmarshal([]byte(bad), &v); err == nil {
				t.Errorf("Unmarshal(%s) = %v, want an error", bad, v)
			}
		}
	})
	t.Run("Accessors", func(t *testing.T) {
		v := domain.CountValue(7)
		if n, ok := v.Count(); n != 7 || !ok {
			t.Errorf("Count = %d, %v", n, ok)
		}
		if _, ok := v.Bool(); ok {
			t.Error("a count is not a bool")
		}
		if _, ok := v.Assessment(); ok {
			t.Error("a count is not an assessment")
		}
		if got, want := v.Kind(), domain.IndicatorCount; got != want {
			t.Errorf("Kind = %q, want %q", got, want)
		}
		var null domain.Value
		if !null.IsNull() || null.Kind() != "" {
			t.Error("the zero Value must be null")
		}
		if _, ok := null.Count(); ok {
			t.Error("null has no count")
		}
		if domain.CountValue(0) == (domain.Value{}) {
			t.Error("a zero count must differ from null")
		}
		if domain.BoolValue(false) == (domain.Value{}) {
			t.Error("false must differ from null")
		}
	})
	t.Run("FormatVN", func(t *testing.T) {
		for _, tt := range []struct {
			v    domain.Value
			want string
		}{
			{domain.CountValue(0), "0"},
			{domain.CountValue(999), "999"},
			{domain.CountValue(1000), "1.000"},
			{domain.CountValue(1234567), "1.234.567"},
			{domain.CountValue(math.MaxInt64), "9.223.372.036.854.775.807"},
			{domain.CountValue(-1234), "-1.234"},
			{domain.BoolValue(true), "Có"},
			{domain.BoolValue(false), "Không"},
			{domain.AssessmentValue(domain.Assessment{Met: true}), "Đạt"},
			{domain.AssessmentValue(domain.Assessment{Met: false, Note: "Chưa kiện toàn"}), "Chưa đạt: Chưa kiện toàn"},
			{domain.Value{}, "—"},
		} {
			if got := tt.v.FormatVN(); got != tt.want {
				t.Errorf("FormatVN(%v) = %q, want %q", tt.v, got, tt.want)
			}
		}
	})
}
