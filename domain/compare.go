package domain

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// This file is the pure part of the province comparison view (SPEC §5): the
// storage layer loads one CompareInput per target area from the materialised
// evaluations and calls BuildComparison; nothing here reads raw report values
// or recomputes criteria. Nothing compared or ranked uses floating point.

// Report statuses a comparison row can carry; "missing" means no report
// exists for the target area and period.
const (
	CompareReportAccepted  = "accepted"
	CompareReportSubmitted = "submitted"
	CompareReportReturned  = "returned"
	CompareReportDraft     = "draft"
	CompareReportMissing   = "missing"
)

// Trends of the number of criteria met against the previous period.
const (
	TrendUp   = "up"
	TrendDown = "down"
	TrendSame = "same"
	// TrendNone means there is nothing to compare: no previous period's
	// figure, or no report for this period.
	TrendNone = "none"
)

// Sort keys of the comparison table; "c1".."c7" sort on one criterion.
const (
	CompareSortRank         = "rank"
	CompareSortUnit         = "unit"
	CompareSortDistrict     = "district"
	CompareSortMet          = "met"
	CompareSortReportStatus = "report_status"
	CompareSortTimeliness   = "timeliness"
	CompareSortTrend        = "trend"
)

// DirectlyUnderProvince names the bucket of wards that hang directly under
// the province (DistrictID 0) wherever a district name is shown.
const DirectlyUnderProvince = "(trực thuộc tỉnh)"

// CompareNA is the display of a ratio whose denominator is 0 (nothing expected).
const CompareNA = "—"

// MaxCompareLimit is the largest page ValidateCompareQuery accepts.
const MaxCompareLimit = 10000

// CompareReportStatuses returns the report statuses a row can have, from least to most advanced.
func CompareReportStatuses() []string {
	return []string{CompareReportMissing, CompareReportDraft, CompareReportReturned,
		CompareReportSubmitted, CompareReportAccepted}
}

// CompareSortKeys returns every column key BuildComparison sorts on.
func CompareSortKeys() []string {
	return []string{CompareSortRank, CompareSortUnit, CompareSortDistrict, CompareSortMet,
		"c1", "c2", "c3", "c4", "c5", "c6", "c7",
		CompareSortReportStatus, CompareSortTimeliness, CompareSortTrend}
}

// CompareInput is one target area of the scope as the storage layer loads it
// for one campaign and period. Target-area IDs are assumed unique.
type CompareInput struct {
	TargetAreaID int64  `json:"target_area_id"`
	UnitID       int64  `json:"unit_id"`
	UnitCode     string `json:"unit_code"`
	UnitName     string `json:"unit_name"`
	// DistrictID is 0 when the ward hangs directly under the province.
	DistrictID   int64  `json:"district_id"`
	DistrictName string `json:"district_name"`
	// TargetStatus is the target area's status (TargetProposed, TargetInProgress…).
	TargetStatus string `json:"target_status"`
	// ReportStatus is one of CompareReportStatuses; empty is read as missing.
	ReportStatus string `json:"report_status"`
	// Timeliness is TimelinessOnTime, TimelinessLate, TimelinessMissing or TimelinessNotDue.
	Timeliness string `json:"timeliness"`
	// Statuses are the seven criteria's statuses from the stored evaluation
	// (see RowFromEvaluation); all CriterionMissing when there is no report.
	Statuses [7]string `json:"statuses"`
	// MetCount is the stored number of criteria that count as met.
	MetCount int `json:"met_count"`
	// PrevMetCount is the previous period's MetCount, nil when there is none.
	PrevMetCount *int `json:"prev_met_count,omitempty"`
}

// CompareQuery filters, sorts and pages the comparison table. Nil filters
// match every row.
type CompareQuery struct {
	// DistrictID keeps the rows of one district; 0 keeps the wards directly under the province.
	DistrictID *int64 `json:"district_id,omitempty"`
	// TargetStatus keeps the rows whose target area has this status.
	TargetStatus *string `json:"target_status,omitempty"`
	// ReportStatus keeps the rows whose report has this status ("missing" for none).
	ReportStatus *string `json:"report_status,omitempty"`
	// CriterionNotMet (1–7) keeps the rows where that criterion still needs
	// work: its status is not_met or missing. A not_applicable criterion
	// never matches, whatever the campaign counts it as, because there is
	// nothing for the unit to fix; a number outside 1–7 matches no row.
	CriterionNotMet *int `json:"criterion_not_met,omitempty"`
	// Sort is one of CompareSortKeys; empty or unknown sorts by rank.
	Sort string `json:"sort,omitempty"`
	// Desc reverses the sort column; ties always fall back to unit name
	// ascending, then target-area ID, so the order is total.
	Desc bool `json:"desc,omitempty"`
	// Limit is the page size; 0 or less means every row.
	Limit int `json:"limit,omitempty"`
	// Offset is the number of sorted rows to skip; less than 0 is read as 0.
	Offset int `json:"offset,omitempty"`
}

// CompareRow is one row of the comparison table.
type CompareRow struct {
	TargetAreaID int64  `json:"target_area_id"`
	UnitID       int64  `json:"unit_id"`
	UnitCode     string `json:"unit_code"`
	UnitName     string `json:"unit_name"`
	DistrictID   int64  `json:"district_id"`
	// DistrictName is DirectlyUnderProvince for DistrictID 0 when no name was loaded.
	DistrictName string `json:"district_name"`
	TargetStatus string `json:"target_status"`
	// ReportStatus is the input's, with empty read as CompareReportMissing.
	ReportStatus string `json:"report_status"`
	Timeliness   string `json:"timeliness"`
	// Statuses are the input's, with empty read as CriterionMissing.
	Statuses     [7]string `json:"statuses"`
	MetCount     int       `json:"met_count"`
	PrevMetCount *int      `json:"prev_met_count,omitempty"`
	// Change is MetCount − PrevMetCount, nil when Trend is TrendNone.
	Change *int `json:"change,omitempty"`
	// Trend is TrendUp, TrendDown, TrendSame or TrendNone.
	Trend string `json:"trend"`
	// Rank is the standard competition rank ("1224") by MetCount, highest
	// first, among the active target areas of the whole scope, so filters
	// never change it; 0 for an area that is not active (proposed, rejected).
	Rank int `json:"rank"`
}

// Ratio is an exact ratio Num/Den with its Vietnamese display; Display is
// CompareNA when Den is 0.
type Ratio struct {
	Num     int64  `json:"num"`
	Den     int64  `json:"den"`
	Display string `json:"display"`
}

// ReportingRates are DHIS2's completeness and timeliness: of the reports
// expected, how many were received and how many on time.
type ReportingRates struct {
	// Expected counts the active target areas (every status but proposed,
	// rejected and none), which owe a report for the period whether or not
	// it is due yet.
	Expected int `json:"expected"`
	// Received counts the expected areas whose report is submitted, returned
	// or accepted; a draft has not been sent and does not count.
	Received int `json:"received"`
	// OnTime counts the received reports whose timeliness is on_time.
	OnTime int `json:"on_time"`
	// Completeness is Received/Expected, shown as a percentage ("87,5%").
	Completeness Ratio `json:"completeness"`
	// Timeliness is OnTime/Expected (DHIS2's "reporting rate on time").
	Timeliness Ratio `json:"timeliness"`
}

// ScopeSummary sums up the target areas of a district or of the whole scope.
type ScopeSummary struct {
	// TargetAreas counts the active target areas (as ReportingRates.Expected).
	TargetAreas int `json:"target_areas"`
	// Exited counts the target areas with status exited.
	Exited int `json:"exited"`
	// Proposed counts the areas proposed and awaiting the province's approval.
	Proposed int `json:"proposed"`
	// AverageMet is the mean MetCount over the received reports (missing
	// reports have no measured criteria; Completeness shows how many those
	// are), displayed with two decimals ("5,33").
	AverageMet Ratio          `json:"average_met"`
	Rates      ReportingRates `json:"rates"`
}

// DistrictSummary is the ScopeSummary of one district; DistrictID 0 is the
// bucket of wards directly under the province.
type DistrictSummary struct {
	DistrictID   int64  `json:"district_id"`
	DistrictName string `json:"district_name"`
	ScopeSummary
}

// Comparison is the comparison view of one scope, campaign and period.
type Comparison struct {
	// Rows is the requested page of the filtered, sorted rows; never nil.
	Rows []CompareRow `json:"rows"`
	// Total counts the rows after filtering and before paging.
	Total int `json:"total"`
	// Overall sums up every input row; filters and paging do not change it.
	Overall ScopeSummary `json:"overall"`
	// Districts sums up each district of the input (filters and paging do
	// not change them), the bucket directly under the province first, then
	// by name.
	Districts []DistrictSummary `json:"districts"`
}

// RowFromEvaluation returns the seven criteria statuses of a stored
// evaluation, in criterion order, reading an empty status as missing.
func RowFromEvaluation(ev Evaluation) [7]string {
	var s [7]string
	for i, c := range ev.Criteria {
		s[i] = normaliseCriterionStatus(c.Status)
	}
	return s
}

// NoReportStatuses returns the statuses of a target area without a report: all missing.
func NoReportStatuses() [7]string {
	var s [7]string
	for i := range s {
		s[i] = CriterionMissing
	}
	return s
}

// ValidateCompareQuery checks a query from the user, naming fields "sort",
// "criterion_not_met", "report_status", "target_status", "limit", "offset".
func ValidateCompareQuery(q CompareQuery) error {
	fe := FieldErrors{}
	if q.Sort != "" && !slices.Contains(CompareSortKeys(), q.Sort) {
		fe.Add("sort", fmt.Sprintf("Không sắp xếp được theo cột “%s”", truncate(q.Sort, 40)))
	}
	if q.CriterionNotMet != nil && (*q.CriterionNotMet < 1 || *q.CriterionNotMet > 7) {
		fe.Add("criterion_not_met", "Tiêu chí phải từ 1 đến 7")
	}
	if q.ReportStatus != nil && !slices.Contains(CompareReportStatuses(), *q.ReportStatus) {
		fe.Add("report_status", fmt.Sprintf("Trạng thái báo cáo “%s” không hợp lệ", truncate(*q.ReportStatus, 40)))
	}
	if q.TargetStatus != nil && !slices.Contains(TargetStatuses(), *q.TargetStatus) {
		fe.Add("target_status", fmt.Sprintf("Trạng thái địa bàn “%s” không hợp lệ", truncate(*q.TargetStatus, 40)))
	}
	if q.Limit < 0 || q.Limit > MaxCompareLimit {
		fe.Add("limit", fmt.Sprintf("Số dòng mỗi trang phải từ 0 đến %d", MaxCompareLimit))
	}
	if q.Offset < 0 {
		fe.AddMsg("offset", MsgNegative("Vị trí bắt đầu"))
	}
	return fe.Err()
}

// compareItem is a row with its precomputed sort keys.
type compareItem struct {
	row      CompareRow
	nameKey  string // FoldVietnamese(UnitName)
	distKey  string // FoldVietnamese(DistrictName)
	isActive bool
}

// BuildComparison builds the comparison view from every target area of the
// scope. Ranks, Overall and Districts are computed over all rows; the query
// then filters, sorts and pages the table. The output depends only on the
// set of rows, not on their order.
func BuildComparison(rows []CompareInput, q CompareQuery) Comparison {
	items := make([]*compareItem, len(rows))
	for i, in := range rows {
		items[i] = newCompareItem(in)
	}
	// A fixed order first, so district names and everything after are
	// independent of the order the rows were loaded in.
	slices.SortFunc(items, func(a, b *compareItem) int { return compareTieBreak(a, b) })
	rankItems(items)

	out := Comparison{Rows: []CompareRow{}}
	out.Overall, out.Districts = summarise(items)

	kept := items[:0:0]
	for _, it := range items {
		if q.matches(it) {
			kept = append(kept, it)
		}
	}
	key := q.Sort
	if !slices.Contains(CompareSortKeys(), key) {
		key = CompareSortRank
	}
	slices.SortFunc(kept, func(a, b *compareItem) int {
		c := compareByKey(key, a, b)
		if q.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return compareTieBreak(a, b)
	})
	out.Total = len(kept)
	start := min(max(q.Offset, 0), len(kept))
	end := len(kept)
	if q.Limit > 0 && end-start > q.Limit {
		end = start + q.Limit
	}
	for _, it := range kept[start:end] {
		out.Rows = append(out.Rows, it.row)
	}
	return out
}

func newCompareItem(in CompareInput) *compareItem {
	r := CompareRow{
		TargetAreaID: in.TargetAreaID, UnitID: in.UnitID, UnitCode: in.UnitCode, UnitName: in.UnitName,
		DistrictID: in.DistrictID, DistrictName: in.DistrictName, TargetStatus: in.TargetStatus,
		ReportStatus: in.ReportStatus, Timeliness: in.Timeliness, MetCount: in.MetCount, Trend: TrendNone,
	}
	if r.ReportStatus == "" {
		r.ReportStatus = CompareReportMissing
	}
	if r.DistrictID == 0 && strings.TrimSpace(r.DistrictName) == "" {
		r.DistrictName = DirectlyUnderProvince
	}
	for i, s := range in.Statuses {
		r.Statuses[i] = normaliseCriterionStatus(s)
	}
	if in.PrevMetCount != nil {
		prev := *in.PrevMetCount
		r.PrevMetCount = &prev
		if r.ReportStatus != CompareReportMissing {
			change := r.MetCount - prev
			r.Change = &change
			switch {
			case change > 0:
				r.Trend = TrendUp
			case change < 0:
				r.Trend = TrendDown
			default:
				r.Trend = TrendSame
			}
		}
	}
	return &compareItem{
		row:      r,
		nameKey:  FoldVietnamese(r.UnitName),
		distKey:  FoldVietnamese(r.DistrictName),
		isActive: compareActive(r.TargetStatus),
	}
}

func normaliseCriterionStatus(s string) string {
	if s == "" {
		return CriterionMissing
	}
	return s
}

// compareActive reports whether a target area in status owes reports: it
// has been approved and not rejected.
func compareActive(status string) bool {
	return status != TargetNone && status != TargetProposed && status != TargetRejected
}

// compareReceived reports whether a report with status has been sent.
func compareReceived(status string) bool {
	return status == CompareReportSubmitted || status == CompareReportReturned || status == CompareReportAccepted
}

// rankItems gives the active items their standard competition rank by
// MetCount, highest first: equal counts share a rank and the next count's
// rank skips past them ("1224").
func rankItems(items []*compareItem) {
	counts := make([]int, 0, len(items))
	for _, it := range items {
		if it.isActive {
			counts = append(counts, it.row.MetCount)
		}
	}
	slices.SortFunc(counts, func(a, b int) int { return cmp.Compare(b, a) })
	for _, it := range items {
		if !it.isActive {
			continue
		}
		// The rank is 1 + the number of active areas with more criteria met.
		above, _ := slices.BinarySearchFunc(counts, it.row.MetCount, func(e, t int) int { return cmp.Compare(t, e) })
		it.row.Rank = above + 1
	}
}

func (q CompareQuery) matches(it *compareItem) bool {
	r := &it.row
	if q.DistrictID != nil && r.DistrictID != *q.DistrictID {
		return false
	}
	if q.TargetStatus != nil && r.TargetStatus != *q.TargetStatus {
		return false
	}
	if q.ReportStatus != nil && r.ReportStatus != *q.ReportStatus {
		return false
	}
	if q.CriterionNotMet != nil {
		n := *q.CriterionNotMet
		if n < 1 || n > 7 {
			return false
		}
		if s := r.Statuses[n-1]; s != CriterionNotMet && s != CriterionMissing {
			return false
		}
	}
	return true
}

// compareTieBreak orders by unit name (folded, with numbers compared by
// value, then exact), unit code, then target-area ID: a total order.
func compareTieBreak(a, b *compareItem) int {
	if c := compareUnit(a, b); c != 0 {
		return c
	}
	return cmp.Compare(a.row.TargetAreaID, b.row.TargetAreaID)
}

func compareUnit(a, b *compareItem) int {
	if c := compareNatural(a.nameKey, b.nameKey); c != 0 {
		return c
	}
	if c := strings.Compare(a.row.UnitName, b.row.UnitName); c != 0 {
		return c
	}
	if c := compareNatural(a.row.UnitCode, b.row.UnitCode); c != 0 {
		return c
	}
	return strings.Compare(a.row.UnitCode, b.row.UnitCode)
}

// compareDistrict puts the bucket directly under the province first, then
// orders districts by name as compareUnit does, then by ID.
func compareDistrict(a, b *compareItem) int {
	if c := compareBool(a.row.DistrictID != 0, b.row.DistrictID != 0); c != 0 {
		return c
	}
	if c := compareNatural(a.distKey, b.distKey); c != 0 {
		return c
	}
	if c := strings.Compare(a.row.DistrictName, b.row.DistrictName); c != 0 {
		return c
	}
	return cmp.Compare(a.row.DistrictID, b.row.DistrictID)
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case b:
		return -1
	}
	return 1
}

// compareByKey compares a and b on one column, ascending. Ascending puts the
// least advanced first: for a criterion missing < not_met < not_applicable
// < met (unknown statuses with missing); for the report missing < draft <
// returned < submitted < accepted; for timeliness missing < late < not_due
// < on_time; for the trend no trend first, then by change; for the rank 1
// first and unranked areas last.
func compareByKey(key string, a, b *compareItem) int {
	ra, rb := &a.row, &b.row
	switch key {
	case CompareSortUnit:
		return compareUnit(a, b)
	case CompareSortDistrict:
		return compareDistrict(a, b)
	case CompareSortMet:
		return cmp.Compare(ra.MetCount, rb.MetCount)
	case CompareSortReportStatus:
		return cmp.Compare(reportStatusOrder(ra.ReportStatus), reportStatusOrder(rb.ReportStatus))
	case CompareSortTimeliness:
		return cmp.Compare(timelinessOrder(ra.Timeliness), timelinessOrder(rb.Timeliness))
	case CompareSortTrend:
		if c := compareBool(ra.Change != nil, rb.Change != nil); c != 0 || ra.Change == nil {
			return c
		}
		return cmp.Compare(*ra.Change, *rb.Change)
	case CompareSortRank:
		if c := compareBool(ra.Rank == 0, rb.Rank == 0); c != 0 {
			return c
		}
		return cmp.Compare(ra.Rank, rb.Rank)
	}
	if len(key) == 2 && key[0] == 'c' && '1' <= key[1] && key[1] <= '7' {
		i := int(key[1] - '1')
		return cmp.Compare(criterionStatusOrder(ra.Statuses[i]), criterionStatusOrder(rb.Statuses[i]))
	}
	return 0
}

func criterionStatusOrder(s string) int {
	switch s {
	case CriterionNotMet:
		return 1
	case CriterionNotApplicable:
		return 2
	case CriterionMet:
		return 3
	}
	return 0
}

func reportStatusOrder(s string) int {
	if i := slices.Index(CompareReportStatuses(), s); i >= 0 {
		return i
	}
	return -1
}

func timelinessOrder(s string) int {
	switch s {
	case TimelinessLate:
		return 1
	case TimelinessNotDue:
		return 2
	case TimelinessOnTime:
		return 3
	}
	return 0
}

// scopeCounts accumulates the integers of a ScopeSummary.
type scopeCounts struct {
	active, exited, proposed, received, onTime int
	metSum                                     int64
}

func (c *scopeCounts) add(it *compareItem) {
	r := &it.row
	switch r.TargetStatus {
	case TargetExited:
		c.exited++
	case TargetProposed:
		c.proposed++
	}
	if !it.isActive {
		return
	}
	c.active++
	if compareReceived(r.ReportStatus) {
		c.received++
		c.metSum += int64(r.MetCount)
		if r.Timeliness == TimelinessOnTime {
			c.onTime++
		}
	}
}

func (c *scopeCounts) summary() ScopeSummary {
	return ScopeSummary{
		TargetAreas: c.active,
		Exited:      c.exited,
		Proposed:    c.proposed,
		AverageMet:  averageRatio(c.metSum, int64(c.received)),
		Rates: ReportingRates{
			Expected:     c.active,
			Received:     c.received,
			OnTime:       c.onTime,
			Completeness: percentRatio(int64(c.received), int64(c.active)),
			Timeliness:   percentRatio(int64(c.onTime), int64(c.active)),
		},
	}
}

// summarise returns the overall and per-district summaries of items, which
// are in tie-break order so each district takes the name of its first row.
func summarise(items []*compareItem) (ScopeSummary, []DistrictSummary) {
	var overall scopeCounts
	type district struct {
		first  *compareItem
		counts scopeCounts
	}
	byID := map[int64]*district{}
	var order []*district
	for _, it := range items {
		overall.add(it)
		d := byID[it.row.DistrictID]
		if d == nil {
			d = &district{first: it}
			byID[it.row.DistrictID] = d
			order = append(order, d)
		}
		d.counts.add(it)
	}
	slices.SortFunc(order, func(a, b *district) int { return compareDistrict(a.first, b.first) })
	out := make([]DistrictSummary, 0, len(order))
	for _, d := range order {
		out = append(out, DistrictSummary{
			DistrictID:   d.first.row.DistrictID,
			DistrictName: d.first.row.DistrictName,
			ScopeSummary: d.counts.summary(),
		})
	}
	return overall.summary(), out
}

// percentRatio returns num/den displayed as a percentage with at most one
// decimal, rounded half up ("87,5%", "100%"), except that a ratio that is
// not exactly 100% or 0% never shows as such (199/200 is "99,9%", not "100%").
func percentRatio(num, den int64) Ratio {
	r := Ratio{Num: num, Den: den, Display: CompareNA}
	if den <= 0 {
		return r
	}
	tenths := roundHalfUp(num*1000, den)
	switch {
	case tenths >= 1000 && num < den:
		tenths = 999
	case tenths <= 0 && num > 0:
		tenths = 1
	}
	s := strconv.FormatInt(tenths/10, 10)
	if f := tenths % 10; f != 0 {
		s += "," + strconv.FormatInt(f, 10)
	}
	r.Display = s + "%"
	return r
}

// averageRatio returns num/den displayed with two decimals, rounded half up ("5,33", "7,00").
func averageRatio(num, den int64) Ratio {
	r := Ratio{Num: num, Den: den, Display: CompareNA}
	if den <= 0 {
		return r
	}
	h := roundHalfUp(num*100, den)
	r.Display = fmt.Sprintf("%d,%02d", h/100, h%100)
	return r
}

// roundHalfUp returns num/den rounded to the nearest integer, halves up,
// for num ≥ 0 and den > 0.
func roundHalfUp(num, den int64) int64 {
	return (2*num + den) / (2 * den)
}
