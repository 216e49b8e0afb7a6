package domain

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Relapse watch (theo dõi tái phức tạp): an area exited in one year's
// campaign keeps reporting, the next year, only the light indicators its
// campaign names (Campaign.RelapseIndicators), and its reports are judged
// on them instead of the seven criteria. The rule is deliberately simple:
// every watched indicator is a warning sign when a count is above zero, a
// yes/no is yes, or an assessment is "not met". A sign is for the district
// and the province to look at, not an automatic decision.

// Verdicts of a relapse indicator and of a relapse-watch report.
const (
	// RelapseClear means no warning sign.
	RelapseClear = "clear"
	// RelapseSign means a warning sign of the area becoming complex again.
	RelapseSign = "relapse"
	// RelapseMissing means the value is not entered; a report with a
	// missing value and no sign is never judged clear.
	RelapseMissing = "missing"
)

// RelapseStatusLabel returns the Vietnamese label of a relapse verdict.
func RelapseStatusLabel(status string) string {
	switch status {
	case RelapseClear:
		return "Không có dấu hiệu tái phức tạp"
	case RelapseSign:
		return "Có dấu hiệu tái phức tạp"
	case RelapseMissing:
		return "Thiếu số liệu"
	}
	return truncate(status, 40)
}

// RelapseResult is the verdict on one watched indicator.
type RelapseResult struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	// Value is the value read; null when not entered.
	Value Value `json:"value"`
	// Status is clear, relapse or missing.
	Status string `json:"status"`
	// Reason explains the verdict in Vietnamese, e.g. "Số vụ phạm pháp hình sự, tệ nạn xã hội trong kỳ: 3 > 0".
	Reason string `json:"reason"`
}

// RelapseEvaluation is the verdict on a relapse-watch report.
type RelapseEvaluation struct {
	Indicators []RelapseResult `json:"indicators"`
	// Signs counts the indicators showing a warning sign.
	Signs int `json:"signs"`
	// Missing counts the indicators not entered.
	Missing int `json:"missing"`
	// Status is relapse when any indicator shows a sign, else missing when
	// any is not entered, else clear.
	Status string `json:"status"`
	// Relapsed is Status == relapse.
	Relapsed bool `json:"relapsed"`
	// Label is the Vietnamese label of Status.
	Label string `json:"label"`
}

// EvaluateRelapse judges the watched indicators codes (in their order) on
// report values v; catalogue names them. It never reports missing data as
// clear.
func EvaluateRelapse(v ReportValues, codes []string, catalogue []Indicator) RelapseEvaluation {
	label := labeller(catalogue)
	e := RelapseEvaluation{Indicators: make([]RelapseResult, 0, len(codes))}
	for _, code := range codes {
		val := v[code]
		r := RelapseResult{Code: code, Label: label(code), Value: val, Status: RelapseClear}
		switch {
		case val.IsNull():
			r.Status, r.Reason = RelapseMissing, "Chưa nhập “"+r.Label+"”"
		case val.Kind() == IndicatorCount:
			n, _ := val.Count()
			if n > 0 {
				r.Status, r.Reason = RelapseSign, fmt.Sprintf("%s: %s > 0", r.Label, formatIntVN(n))
			} else {
				r.Reason = r.Label + ": 0"
			}
		case val.Kind() == IndicatorBool:
			if b, _ := val.Bool(); b {
				r.Status, r.Reason = RelapseSign, r.Label+": có"
			} else {
				r.Reason = r.Label + ": không"
			}
		case val.Kind() == IndicatorAssessment:
			a, _ := val.Assessment()
			r.Reason = r.Label + ": đạt"
			if !a.Met {
				r.Status, r.Reason = RelapseSign, r.Label+": chưa đạt"
			}
			if a.Note != "" {
				r.Reason += " (" + a.Note + ")"
			}
		}
		switch r.Status {
		case RelapseSign:
			e.Signs++
		case RelapseMissing:
			e.Missing++
		}
		e.Indicators = append(e.Indicators, r)
	}
	switch {
	case e.Signs > 0:
		e.Status = RelapseSign
	case e.Missing > 0:
		e.Status = RelapseMissing
	default:
		e.Status = RelapseClear
	}
	e.Relapsed = e.Status == RelapseSign
	e.Label = RelapseStatusLabel(e.Status)
	return e
}

// RelapseCatalogue returns the indicators of catalogue that codes name, in
// the catalogue's order: what a relapse-watch report may hold.
func RelapseCatalogue(catalogue []Indicator, codes []string) []Indicator {
	out := make([]Indicator, 0, len(codes))
	for _, ind := range catalogue {
		if slices.Contains(codes, ind.Code) {
			out = append(out, ind)
		}
	}
	return out
}

// CheckRelapseCodes refuses, as EINVALID naming each field, the indicator
// codes of a patch that are not among the watched ones: an area under
// relapse watch reports only them.
func CheckRelapseCodes(patchCodes, watched []string, catalogue []Indicator) error {
	fe := FieldErrors{}
	sorted := slices.Clone(patchCodes)
	sort.Strings(sorted)
	label := labeller(catalogue)
	names := make([]string, len(watched))
	for i, code := range watched {
		names[i] = "“" + label(code) + "”"
	}
	for _, code := range sorted {
		if slices.Contains(watched, code) {
			continue
		}
		fe.Add(truncate(code, 64), fmt.Sprintf("Địa bàn đang theo dõi tái phức tạp chỉ báo cáo các chỉ tiêu theo dõi tái phức tạp của chương trình (%s); “%s” không thuộc các chỉ tiêu đó",
			strings.Join(names, ", "), truncate(label(code), 200)))
	}
	if len(fe) == 0 {
		return nil
	}
	return fe.Invalid("Địa bàn đang theo dõi tái phức tạp chỉ báo cáo các chỉ tiêu theo dõi tái phức tạp")
}
