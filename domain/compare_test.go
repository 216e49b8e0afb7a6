package domain

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func cmpIntPtr(n int) *int { return &n }

func cmpPtr[T any](v T) *T { return &v }

const (
	cvMet  = CriterionMet
	cvNot  = CriterionNotMet
	cvNA   = CriterionNotApplicable
	cvMiss = CriterionMissing
)

// compareFixture is a small province: district 10 "Thành phố Bắc Giang",
// district 20 "Huyện Việt Yên", and wards directly under the province (0).
//
//	TA  unit              district  target        report     timeliness  met prev  rank
//	1   Phường Trần Phú   10        in_progress   accepted   on_time     7   6     1
//	2   Phường 10         10        in_progress   submitted  late        5   5     3
//	3   Phường 2          10        in_progress   returned   on_time     5   6     3
//	4   Xã Ấp Bắc         20        approved      draft      not_due     3   -     5
//	5   Xã Bình Sơn       20        exited        accepted   on_time     7   7     1
//	6   Xã Đồng Tâm       0         in_progress   missing    missing     0   4     6
//	7   Xã Dĩnh Kế        0         proposed      (empty)    not_due     0   -     -
//	8   Xã Cũ             20        rejected      missing    missing     0   -     -
func compareFixture() []CompareInput {
	return []CompareInput{
		{TargetAreaID: 1, UnitID: 101, UnitCode: "10001", UnitName: "Phường Trần Phú", DistrictID: 10, DistrictName: "Thành phố Bắc Giang",
			TargetStatus: TargetInProgress, ReportStatus: CompareReportAccepted, Timeliness: TimelinessOnTime,
			Statuses: [7]string{cvMet, cvMet, cvMet, cvMet, cvMet, cvMet, cvMet}, MetCount: 7, PrevMetCount: cmpIntPtr(6)},
		{TargetAreaID: 2, UnitID: 102, UnitCode: "10002", UnitName: "Phường 10", DistrictID: 10, DistrictName: "Thành phố Bắc Giang",
			TargetStatus: TargetInProgress, ReportStatus: CompareReportSubmitted, Timeliness: TimelinessLate,
			Statuses: [7]string{cvMet, cvMet, cvMet, cvMet, cvMet, cvNot, cvMiss}, MetCount: 5, PrevMetCount: cmpIntPtr(5)},
		{TargetAreaID: 3, UnitID: 103, UnitCode: "10003", UnitName: "Phường 2", DistrictID: 10, DistrictName: "Thành phố Bắc Giang",
			TargetStatus: TargetInProgress, ReportStatus: CompareReportReturned, Timeliness: TimelinessOnTime,
			Statuses: [7]string{cvNot, cvNot, cvMet, cvMet, cvNA, cvMet, cvMet}, MetCount: 5, PrevMetCount: cmpIntPtr(6)},
		{TargetAreaID: 4, UnitID: 201, UnitCode: "20001", UnitName: "Xã Ấp Bắc", DistrictID: 20, DistrictName: "Huyện Việt Yên",
			TargetStatus: TargetApproved, ReportStatus: CompareReportDraft, Timeliness: TimelinessNotDue,
			Statuses: [7]string{cvMet, cvMet, cvMet, cvNot, cvNot, cvMiss, cvMiss}, MetCount: 3},
		{TargetAreaID: 5, UnitID: 202, UnitCode: "20002", UnitName: "Xã Bình Sơn", DistrictID: 20, DistrictName: "Huyện Việt Yên",
			TargetStatus: TargetExited, ReportStatus: CompareReportAccepted, Timeliness: TimelinessOnTime,
			Statuses: [7]string{cvMet, cvMet, cvMet, cvMet, cvMet, cvMet, cvMet}, MetCount: 7, PrevMetCount: cmpIntPtr(7)},
		{TargetAreaID: 6, UnitID: 301, UnitCode: "30001", UnitName: "Xã Đồng Tâm", DistrictID: 0,
			TargetStatus: TargetInProgress, ReportStatus: CompareReportMissing, Timeliness: TimelinessMissing,
			Statuses: NoReportStatuses(), MetCount: 0, PrevMetCount: cmpIntPtr(4)},
		{TargetAreaID: 7, UnitID: 302, UnitCode: "30002", UnitName: "Xã Dĩnh Kế", DistrictID: 0,
			TargetStatus: TargetProposed, Timeliness: TimelinessNotDue},
		{TargetAreaID: 8, UnitID: 203, UnitCode: "20003", UnitName: "Xã Cũ", DistrictID: 20, DistrictName: "Huyện Việt Yên",
			TargetStatus: TargetRejected, ReportStatus: CompareReportMissing, Timeliness: TimelinessMissing,
			Statuses: NoReportStatuses()},
	}
}

func rowIDs(rows []CompareRow) []int64 {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.TargetAreaID
	}
	return ids
}

func ranksByID(rows []CompareRow) map[int64]int {
	m := map[int64]int{}
	for _, r := range rows {
		m[r.TargetAreaID] = r.Rank
	}
	return m
}

func TestBuildComparisonRanks(t *testing.T) {
	got := ranksByID(BuildComparison(compareFixture(), CompareQuery{}).Rows)
	want := map[int64]int{1: 1, 5: 1, 2: 3, 3: 3, 4: 5, 6: 6, 7: 0, 8: 0}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ranks = %v, want %v", got, want)
	}
}

func TestRankTies(t *testing.T) {
	for _, tt := range []struct {
		name string
		met  []int
		want []int
	}{
		{"Empty", nil, []int{}},
		{"One", []int{4}, []int{1}},
		{"AllEqual", []int{5, 5, 5}, []int{1, 1, 1}},
		{"Standard1224", []int{7, 5, 5, 3}, []int{1, 2, 2, 4}},
		{"TiesAtTopAndBottom", []int{7, 7, 5, 5, 5, 3, 0, 0}, []int{1, 1, 3, 3, 3, 6, 7, 7}},
		{"Unsorted", []int{0, 7, 3, 7}, []int{4, 1, 3, 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var rows []CompareInput
			for i, m := range tt.met {
				rows = append(rows, CompareInput{TargetAreaID: int64(i + 1), UnitName: fmt.Sprintf("Xã %c", 'A'+i),
					TargetStatus: TargetInProgress, MetCount: m})
			}
			got := ranksByID(BuildComparison(rows, CompareQuery{}).Rows)
			for i, w := range tt.want {
				if g := got[int64(i+1)]; g != w {
					t.Errorf("row %d (met %d): rank = %d, want %d", i+1, tt.met[i], g, w)
				}
			}
		})
	}
}

func TestFiltersDoNotChangeRanks(t *testing.T) {
	all := ranksByID(BuildComparison(compareFixture(), CompareQuery{}).Rows)
	for _, tt := range []struct {
		name string
		q    CompareQuery
		ids  []int64 // in rank order
	}{
		{"District10", CompareQuery{DistrictID: cmpPtr[int64](10)}, []int64{1, 3, 2}},
		{"District20", CompareQuery{DistrictID: cmpPtr[int64](20)}, []int64{5, 4, 8}},
		{"DirectlyUnderProvince", CompareQuery{DistrictID: cmpPtr[int64](0)}, []int64{6, 7}},
		{"UnknownDistrict", CompareQuery{DistrictID: cmpPtr[int64](99)}, []int64{}},
		{"TargetInProgress", CompareQuery{TargetStatus: cmpPtr(TargetInProgress)}, []int64{1, 3, 2, 6}},
		{"TargetExited", CompareQuery{TargetStatus: cmpPtr(TargetExited)}, []int64{5}},
		{"ReportAccepted", CompareQuery{ReportStatus: cmpPtr(CompareReportAccepted)}, []int64{1, 5}},
		{"ReportMissingIncludesEmpty", CompareQuery{ReportStatus: cmpPtr(CompareReportMissing)}, []int64{6, 8, 7}},
		{"ReportDraft", CompareQuery{ReportStatus: cmpPtr(CompareReportDraft)}, []int64{4}},
		{"Combined", CompareQuery{DistrictID: cmpPtr[int64](10), ReportStatus: cmpPtr(CompareReportReturned)}, []int64{3}},
		{"CriterionAndDistrict", CompareQuery{DistrictID: cmpPtr[int64](20), CriterionNotMet: cmpIntPtr(4)}, []int64{4, 8}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := BuildComparison(compareFixture(), tt.q)
			if got := rowIDs(c.Rows); !slices.Equal(got, tt.ids) {
				t.Errorf("rows = %v, want %v", got, tt.ids)
			}
			if c.Total != len(tt.ids) {
				t.Errorf("Total = %d, want %d", c.Total, len(tt.ids))
			}
			for _, r := range c.Rows {
				if r.Rank != all[r.TargetAreaID] {
					t.Errorf("row %d: rank %d after filtering, %d before", r.TargetAreaID, r.Rank, all[r.TargetAreaID])
				}
			}
		})
	}
}

func TestCriterionNotMetFilter(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want []int64 // in rank order
	}{
		// Row 3's c1 and c2 are not_met; rows 6–8 have no report (missing).
		{1, []int64{3, 6, 8, 7}},
		{2, []int64{3, 6, 8, 7}},
		{3, []int64{6, 8, 7}},
		// Row 4's c4 is not_met.
		{4, []int64{4, 6, 8, 7}},
		// Row 3's c5 is not_applicable: nothing to fix, so it does not match.
		{5, []int64{4, 6, 8, 7}},
		// Row 2's c6 is not_met, row 4's is missing.
		{6, []int64{2, 4, 6, 8, 7}},
		{7, []int64{2, 4, 6, 8, 7}},
		{0, []int64{}},
		{8, []int64{}},
		{-1, []int64{}},
	} {
		t.Run(fmt.Sprintf("C%d", tt.n), func(t *testing.T) {
			c := BuildComparison(compareFixture(), CompareQuery{CriterionNotMet: cmpIntPtr(tt.n)})
			if got := rowIDs(c.Rows); !slices.Equal(got, tt.want) {
				t.Errorf("rows = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSortKeys(t *testing.T) {
	// Ties fall back to unit name ascending; the fixture's name order is
	// Phường 2 (3), Phường 10 (2), Phường Trần Phú (1), Xã Ấp Bắc (4),
	// Xã Bình Sơn (5), Xã Cũ (8), Xã Dĩnh Kế (7), Xã Đồng Tâm (6).
	for _, tt := range []struct {
		key       string
		asc, desc []int64
	}{
		{"", []int64{1, 5, 3, 2, 4, 6, 8, 7}, []int64{8, 7, 6, 4, 3, 2, 1, 5}},
		{"nonsense", []int64{1, 5, 3, 2, 4, 6, 8, 7}, []int64{8, 7, 6, 4, 3, 2, 1, 5}},
		{CompareSortRank, []int64{1, 5, 3, 2, 4, 6, 8, 7}, []int64{8, 7, 6, 4, 3, 2, 1, 5}},
		{CompareSortUnit, []int64{3, 2, 1, 4, 5, 8, 7, 6}, []int64{6, 7, 8, 5, 4, 1, 2, 3}},
		{CompareSortDistrict, []int64{7, 6, 4, 5, 8, 3, 2, 1}, []int64{3, 2, 1, 4, 5, 8, 7, 6}},
		{CompareSortMet, []int64{8, 7, 6, 4, 3, 2, 1, 5}, []int64{1, 5, 3, 2, 4, 8, 7, 6}},
		{"c1", []int64{8, 7, 6, 3, 2, 1, 4, 5}, []int64{2, 1, 4, 5, 3, 8, 7, 6}},
		{"c2", []int64{8, 7, 6, 3, 2, 1, 4, 5}, []int64{2, 1, 4, 5, 3, 8, 7, 6}},
		{"c3", []int64{8, 7, 6, 3, 2, 1, 4, 5}, []int64{3, 2, 1, 4, 5, 8, 7, 6}},
		{"c4", []int64{8, 7, 6, 4, 3, 2, 1, 5}, []int64{3, 2, 1, 5, 4, 8, 7, 6}},
		{"c5", []int64{8, 7, 6, 4, 3, 2, 1, 5}, []int64{2, 1, 5, 3, 4, 8, 7, 6}},
		{"c6", []int64{4, 8, 7, 6, 2, 3, 1, 5}, []int64{3, 1, 5, 2, 4, 8, 7, 6}},
		{"c7", []int64{2, 4, 8, 7, 6, 3, 1, 5}, []int64{3, 1, 5, 2, 4, 8, 7, 6}},
		{CompareSortReportStatus, []int64{8, 7, 6, 4, 3, 2, 1, 5}, []int64{1, 5, 2, 3, 4, 8, 7, 6}},
		{CompareSortTimeliness, []int64{8, 6, 2, 4, 7, 3, 1, 5}, []int64{3, 1, 5, 4, 7, 2, 8, 6}},
		{CompareSortTrend, []int64{4, 8, 7, 6, 3, 2, 5, 1}, []int64{1, 2, 5, 3, 4, 8, 7, 6}},
	} {
		for _, desc := range []bool{false, true} {
			want := tt.asc
			if desc {
				want = tt.desc
			}
			t.Run(fmt.Sprintf("%s/desc=%v", tt.key, desc), func(t *testing.T) {
				c := BuildComparison(compareFixture(), CompareQuery{Sort: tt.key, Desc: desc})
				if got := rowIDs(c.Rows); !slices.Equal(got, want) {
					t.Errorf("order = %v, want %v", got, want)
				}
			})
		}
	}
	// Every advertised key is covered above.
	for _, k := range CompareSortKeys() {
		if err := ValidateCompareQuery(CompareQuery{Sort: k}); err != nil {
			t.Errorf("ValidateCompareQuery(sort %q) = %v", k, err)
		}
	}
}

func TestSortIsIndependentOfInputOrder(t *testing.T) {
	base := compareFixture()
	perms := [][]CompareInput{base, slices.Clone(base), append(slices.Clone(base[3:]), base[:3]...)}
	slices.Reverse(perms[1])
	for _, key := range append(CompareSortKeys(), "") {
		for _, desc := range []bool{false, true} {
			q := CompareQuery{Sort: key, Desc: desc}
			want := BuildComparison(perms[0], q)
			for i, p := range perms[1:] {
				if got := BuildComparison(p, q); !reflect.DeepEqual(got, want) {
					t.Errorf("sort %q desc=%v: permutation %d differs:\n got %v\nwant %v", key, desc, i+1, rowIDs(got.Rows), rowIDs(want.Rows))
				}
			}
		}
	}
}

func TestPaging(t *testing.T) {
	byRank := []int64{1, 5, 3, 2, 4, 6, 8, 7}
	for _, tt := range []struct {
		name          string
		limit, offset int
		want          []int64
	}{
		{"All", 0, 0, byRank},
		{"NegativeLimitIsAll", -5, 0, byRank},
		{"FirstPage", 3, 0, byRank[:3]},
		{"SecondPage", 3, 3, byRank[3:6]},
		{"LastPartialPage", 3, 6, byRank[6:]},
		{"ExactEnd", 2, 6, byRank[6:]},
		{"OffsetAtEnd", 3, 8, []int64{}},
		{"OffsetPastEnd", 3, 100, []int64{}},
		{"OffsetPastEndNoLimit", 0, 9, []int64{}},
		{"NegativeOffsetIsZero", 2, -4, byRank[:2]},
		{"LimitLargerThanRows", 100, 5, byRank[5:]},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := BuildComparison(compareFixture(), CompareQuery{Limit: tt.limit, Offset: tt.offset})
			if c.Rows == nil {
				t.Fatal("Rows is nil, want an empty slice")
			}
			if got := rowIDs(c.Rows); !slices.Equal(got, tt.want) {
				t.Errorf("rows = %v, want %v", got, tt.want)
			}
			if c.Total != 8 {
				t.Errorf("Total = %d, want 8", c.Total)
			}
		})
	}
	t.Run("FilteredTotal", func(t *testing.T) {
		c := BuildComparison(compareFixture(), CompareQuery{DistrictID: cmpPtr[int64](10), Limit: 1, Offset: 1})
		if got, want := rowIDs(c.Rows), []int64{3}; !slices.Equal(got, want) {
			t.Errorf("rows = %v, want %v", got, want)
		}
		if c.Total != 3 {
			t.Errorf("Total = %d, want 3", c.Total)
		}
	})
	t.Run("EmptyInput", func(t *testing.T) {
		c := BuildComparison(nil, CompareQuery{Offset: 10})
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), `"rows":[]`) || !strings.Contains(string(b), `"districts":[]`) {
			t.Errorf("JSON = %s, want empty arrays for rows and districts", b)
		}
		if c.Total != 0 || c.Overall.Rates.Completeness.Display != CompareNA {
			t.Errorf("Total = %d, completeness = %q", c.Total, c.Overall.Rates.Completeness.Display)
		}
	})
}

func TestTrend(t *testing.T) {
	for _, tt := range []struct {
		name       string
		report     string
		met        int
		prev       *int
		wantTrend  string
		wantChange *int
	}{
		{"Up", CompareReportAccepted, 6, cmpIntPtr(4), TrendUp, cmpIntPtr(2)},
		{"Down", CompareReportSubmitted, 3, cmpIntPtr(5), TrendDown, cmpIntPtr(-2)},
		{"Same", CompareReportReturned, 5, cmpIntPtr(5), TrendSame, cmpIntPtr(0)},
		{"SameAtZero", CompareReportDraft, 0, cmpIntPtr(0), TrendSame, cmpIntPtr(0)},
		{"NoPrevious", CompareReportAccepted, 7, nil, TrendNone, nil},
		{"NoReportNow", CompareReportMissing, 0, cmpIntPtr(5), TrendNone, nil},
		{"EmptyReportStatusIsMissing", "", 0, cmpIntPtr(5), TrendNone, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := CompareInput{TargetAreaID: 1, TargetStatus: TargetInProgress, ReportStatus: tt.report, MetCount: tt.met, PrevMetCount: tt.prev}
			r := BuildComparison([]CompareInput{in}, CompareQuery{}).Rows[0]
			if r.Trend != tt.wantTrend {
				t.Errorf("Trend = %q, want %q", r.Trend, tt.wantTrend)
			}
			if !reflect.DeepEqual(r.Change, tt.wantChange) {
				t.Errorf("Change = %v, want %v", cmpDeref(r.Change), cmpDeref(tt.wantChange))
			}
			if !reflect.DeepEqual(r.PrevMetCount, tt.prev) {
				t.Errorf("PrevMetCount = %v, want %v", cmpDeref(r.PrevMetCount), cmpDeref(tt.prev))
			}
			if tt.prev != nil && r.PrevMetCount == tt.prev {
				t.Error("PrevMetCount aliases the input")
			}
		})
	}
}

func cmpDeref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestRowNormalisation(t *testing.T) {
	c := BuildComparison(compareFixture(), CompareQuery{Sort: CompareSortUnit})
	byID := map[int64]CompareRow{}
	for _, r := range c.Rows {
		byID[r.TargetAreaID] = r
	}
	r7 := byID[7]
	if r7.ReportStatus != CompareReportMissing || r7.Statuses != NoReportStatuses() {
		t.Errorf("row 7: report %q statuses %v, want missing everywhere", r7.ReportStatus, r7.Statuses)
	}
	if r7.DistrictName != DirectlyUnderProvince || byID[6].DistrictName != DirectlyUnderProvince {
		t.Errorf("district names = %q, %q, want %q", r7.DistrictName, byID[6].DistrictName, DirectlyUnderProvince)
	}
	if got := byID[1].DistrictName; got != "Thành phố Bắc Giang" {
		t.Errorf("row 1 district = %q", got)
	}
}

func TestReportingRates(t *testing.T) {
	c := BuildComparison(compareFixture(), CompareQuery{DistrictID: cmpPtr[int64](10), Limit: 1})
	type want struct {
		id                                       int64
		name                                     string
		areas, exited, proposed                  int
		expected, received, onTime               int
		completeness, timeliness, average        string
		complNum, complDen, avgNum, avgDen, tNum int64
	}
	check := func(t *testing.T, got DistrictSummary, w want) {
		t.Helper()
		if got.DistrictID != w.id || got.DistrictName != w.name {
			t.Errorf("district = %d %q, want %d %q", got.DistrictID, got.DistrictName, w.id, w.name)
		}
		s := got.ScopeSummary
		if s.TargetAreas != w.areas || s.Exited != w.exited || s.Proposed != w.proposed {
			t.Errorf("areas/exited/proposed = %d/%d/%d, want %d/%d/%d", s.TargetAreas, s.Exited, s.Proposed, w.areas, w.exited, w.proposed)
		}
		r := s.Rates
		if r.Expected != w.expected || r.Received != w.received || r.OnTime != w.onTime {
			t.Errorf("expected/received/on time = %d/%d/%d, want %d/%d/%d", r.Expected, r.Received, r.OnTime, w.expected, w.received, w.onTime)
		}
		if g := r.Completeness; g != (Ratio{w.complNum, w.complDen, w.completeness}) {
			t.Errorf("completeness = %+v, want %d/%d %q", g, w.complNum, w.complDen, w.completeness)
		}
		if g := r.Timeliness; g != (Ratio{w.tNum, w.complDen, w.timeliness}) {
			t.Errorf("timeliness = %+v, want %d/%d %q", g, w.tNum, w.complDen, w.timeliness)
		}
		if g := s.AverageMet; g != (Ratio{w.avgNum, w.avgDen, w.average}) {
			t.Errorf("average met = %+v, want %d/%d %q", g, w.avgNum, w.avgDen, w.average)
		}
	}
	wants := []want{
		// Directly under the province: one active area without a report, one proposed.
		{id: 0, name: DirectlyUnderProvince, areas: 1, proposed: 1, expected: 1,
			completeness: "0%", timeliness: "0%", average: CompareNA, complNum: 0, complDen: 1},
		// Việt Yên: the draft does not count as received; the rejected area is not expected.
		{id: 20, name: "Huyện Việt Yên", areas: 2, exited: 1, expected: 2, received: 1, onTime: 1,
			completeness: "50%", timeliness: "50%", average: "7,00", complNum: 1, complDen: 2, tNum: 1, avgNum: 7, avgDen: 1},
		// Bắc Giang: a returned report was received; one of three is late.
		{id: 10, name: "Thành phố Bắc Giang", areas: 3, expected: 3, received: 3, onTime: 2,
			completeness: "100%", timeliness: "66,7%", average: "5,67", complNum: 3, complDen: 3, tNum: 2, avgNum: 17, avgDen: 3},
	}
	if len(c.Districts) != len(wants) {
		t.Fatalf("%d districts, want %d: %+v", len(c.Districts), len(wants), c.Districts)
	}
	for i, w := range wants {
		t.Run(fmt.Sprintf("District%d", w.id), func(t *testing.T) { check(t, c.Districts[i], w) })
	}
	t.Run("Overall", func(t *testing.T) {
		check(t, DistrictSummary{ScopeSummary: c.Overall}, want{areas: 6, exited: 1, proposed: 1,
			expected: 6, received: 4, onTime: 3, completeness: "66,7%", timeliness: "50%", average: "6,00",
			complNum: 4, complDen: 6, tNum: 3, avgNum: 24, avgDen: 4})
	})
	t.Run("ZeroExpected", func(t *testing.T) {
		c := BuildComparison([]CompareInput{
			{TargetAreaID: 1, UnitName: "Xã A", DistrictID: 5, DistrictName: "Huyện B", TargetStatus: TargetProposed},
			{TargetAreaID: 2, UnitName: "Xã C", DistrictID: 5, DistrictName: "Huyện B", TargetStatus: TargetRejected,
				ReportStatus: CompareReportAccepted, Timeliness: TimelinessOnTime, MetCount: 7},
		}, CompareQuery{})
		for _, s := range []ScopeSummary{c.Overall, c.Districts[0].ScopeSummary} {
			r := s.Rates
			if r.Expected != 0 || r.Received != 0 || r.OnTime != 0 {
				t.Errorf("expected/received/on time = %d/%d/%d, want 0/0/0", r.Expected, r.Received, r.OnTime)
			}
			for _, g := range []Ratio{r.Completeness, r.Timeliness, s.AverageMet} {
				if g != (Ratio{0, 0, CompareNA}) {
					t.Errorf("ratio = %+v, want 0/0 %q", g, CompareNA)
				}
			}
		}
		if ranks := ranksByID(c.Rows); ranks[1] != 0 || ranks[2] != 0 {
			t.Errorf("ranks of inactive areas = %v, want 0", ranks)
		}
	})
	t.Run("DistrictNameIndependentOfOrder", func(t *testing.T) {
		rows := []CompareInput{
			{TargetAreaID: 2, UnitName: "Xã B", DistrictID: 5, DistrictName: "Huyện Mới", TargetStatus: TargetInProgress},
			{TargetAreaID: 1, UnitName: "Xã A", DistrictID: 5, DistrictName: "Huyện Cũ", TargetStatus: TargetInProgress},
		}
		a := BuildComparison(rows, CompareQuery{}).Districts
		slices.Reverse(rows)
		b := BuildComparison(rows, CompareQuery{}).Districts
		if !reflect.DeepEqual(a, b) || a[0].DistrictName != "Huyện Cũ" {
			t.Errorf("districts = %+v and %+v", a, b)
		}
	})
}

func TestPercentRatio(t *testing.T) {
	for _, tt := range []struct {
		num, den int64
		want     string
	}{
		{7, 8, "87,5%"},
		{2, 3, "66,7%"},
		{1, 3, "33,3%"},
		{1, 2, "50%"},
		{5, 5, "100%"},
		{0, 5, "0%"},
		{0, 0, CompareNA},
		{1, 0, CompareNA},
		{1999, 2000, "99,9%"}, // 99,95% would round to 100%: never claim all arrived
		{1, 2000, "0,1%"},     // 0,05% rounds half up
		{1, 30000, "0,1%"},    // rounds to 0% but something arrived
		{10599, 10600, "99,9%"},
		{5300, 10600, "50%"},
	} {
		t.Run(fmt.Sprintf("%d/%d", tt.num, tt.den), func(t *testing.T) {
			if got := percentRatio(tt.num, tt.den); got != (Ratio{tt.num, tt.den, tt.want}) {
				t.Errorf("percentRatio = %+v, want %q", got, tt.want)
			}
		})
	}
}

func TestAverageRatio(t *testing.T) {
	for _, tt := range []struct {
		num, den int64
		want     string
	}{
		{16, 3, "5,33"},
		{17, 3, "5,67"},
		{24, 4, "6,00"},
		{1, 8, "0,13"}, // 0,125 rounds half up
		{0, 3, "0,00"},
		{7, 1, "7,00"},
		{0, 0, CompareNA},
	} {
		t.Run(fmt.Sprintf("%d/%d", tt.num, tt.den), func(t *testing.T) {
			if got := averageRatio(tt.num, tt.den); got != (Ratio{tt.num, tt.den, tt.want}) {
				t.Errorf("averageRatio = %+v, want %q", got, tt.want)
			}
		})
	}
}

func TestRowFromEvaluation(t *testing.T) {
	ev := Evaluate(ReportValues{}, DefaultThresholds())
	if got := RowFromEvaluation(ev); got != NoReportStatuses() {
		t.Errorf("empty report: %v, want all missing", got)
	}
	var e Evaluation
	for i, s := range []string{cvMet, cvNot, cvNA, cvMiss, "", cvMet, cvNot} {
		e.Criteria[i] = CriterionResult{Number: i + 1, Status: s}
	}
	if got, want := RowFromEvaluation(e), [7]string{cvMet, cvNot, cvNA, cvMiss, cvMiss, cvMet, cvNot}; got != want {
		t.Errorf("RowFromEvaluation = %v, want %v", got, want)
	}
}

func TestValidateCompareQuery(t *testing.T) {
	for _, tt := range []struct {
		name   string
		q      CompareQuery
		fields []string
	}{
		{"Zero", CompareQuery{}, nil},
		{"Full", CompareQuery{DistrictID: cmpPtr[int64](0), TargetStatus: cmpPtr(TargetExited), ReportStatus: cmpPtr(CompareReportMissing),
			CriterionNotMet: cmpIntPtr(7), Sort: "c7", Desc: true, Limit: MaxCompareLimit, Offset: 100}, nil},
		{"BadSort", CompareQuery{Sort: "name"}, []string{"sort"}},
		{"CriterionZero", CompareQuery{CriterionNotMet: cmpIntPtr(0)}, []string{"criterion_not_met"}},
		{"CriterionEight", CompareQuery{CriterionNotMet: cmpIntPtr(8)}, []string{"criterion_not_met"}},
		{"BadReportStatus", CompareQuery{ReportStatus: cmpPtr("late")}, []string{"report_status"}},
		{"BadTargetStatus", CompareQuery{TargetStatus: cmpPtr("")}, []string{"target_status"}},
		{"Paging", CompareQuery{Limit: MaxCompareLimit + 1, Offset: -1}, []string{"limit", "offset"}},
		{"NegativeLimit", CompareQuery{Limit: -1}, []string{"limit"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateCompareQuery(tt.q)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID {
				t.Fatalf("err = %v, want %s", err, EINVALID)
			}
			var got []string
			for f := range e.Fields {
				got = append(got, f)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields = %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestFoldVietnamese(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Phường Nếnh", "phuong nenh"},
		{"  ĐỒNG   Tâm\t", "dong tam"},
		{"Ưu Điểm", "uu diem"},
		{"Thị trấn Thắng", "thi tran thang"},
		{"Ne\u0302\u0301nh", "nenh"}, // decomposed
		{"u\u031B\u0300", "u"},       // decomposed ừ
		{"ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", strings.Repeat("a", 17)},
		{"ÈÉẺẼẸÊỀẾỂỄỆ", strings.Repeat("e", 11)},
		{"ÌÍỈĨỊ", "iiiii"},
		{"ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", strings.Repeat("o", 17)},
		{"ÙÚỦŨỤƯỪỨỬỮỰ", strings.Repeat("u", 11)},
		{"ỲÝỶỸỴ", "yyyyy"},
		{"Phường 10", "phuong 10"},
		{"", ""},
	} {
		if got := FoldVietnamese(tt.in); got != tt.want {
			t.Errorf("FoldVietnamese(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCompareNatural(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"phuong 2", "phuong 10", -1},
		{"phuong 10", "phuong 2", 1},
		{"phuong 10", "phuong 10", 0},
		{"a02", "a2", 0},
		{"a", "a1", -1},
		{"9", "10", -1},
		{"x", "1", 1},
		{"phuong 1a", "phuong 1b", -1},
		{"xa ap bac", "xa binh", -1},
		{"", "", 0},
		{"", "a", -1},
	} {
		if got := compareNatural(tt.a, tt.b); got != tt.want {
			t.Errorf("compareNatural(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
