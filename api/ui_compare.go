package api

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/compare"
)

type compareView struct {
	web.Page
	Campaign   *campaigns.Campaign
	Campaigns  []*campaigns.Campaign
	Period     string
	PeriodName string
	Due        domain.Date
	Filters    []web.Field
	Summary    []fact
	Legend     []badge
	Headers    []compareHeader
	Rows       []compareRowView
	Total      int
	Pager      web.Pager
	Charts     []chart
}

type fact struct{ Label, Value string }

type chart struct {
	Title string
	SVG   template.HTML
}

type compareHeader struct {
	Label, Title, Href string
	// Sort is the aria-sort value of the sorted column, "" for the others.
	Sort string
}

type compareRowView struct {
	Rank     string
	UnitCode string
	Unit     string
	Href     string
	District string
	// Cells are the seven criterion cells, rendered once per status:
	// a table of 100 rows × 7 cells is the bulk of the page.
	Cells      template.HTML
	Met        int
	Report     badge
	Timeliness string
	Trend      string
}

// comparePageSize keeps the page well under 100 KB for a large province.
const comparePageSize = 100

// comparePage is the province (or district) comparison table with its
// filters, sort, summary and server-drawn charts, read from the same
// comparison service (and cache) as GET /api/v1/campaigns/:id/compare.
func (s *Server) comparePage(c echo.Context) error {
	cc, err := s.campaignFor(c)
	if err != nil {
		return err
	}
	v := compareView{Page: s.page(c), Campaign: cc.Campaign, Campaigns: cc.Campaigns}
	if cc.Campaign == nil {
		return s.render(c, http.StatusOK, "compare", v)
	}
	cal := cc.Campaign.Calendar
	if len(cal) == 0 {
		cal = domain.DefaultCalendar(cc.Campaign.Year)
	}
	q, err := compareQuery(c)
	if err != nil {
		return err
	}
	q.Limit = comparePageSize
	svc := s.compareService()
	ctx := c.Request().Context()
	period := c.QueryParam("period")
	if period == "" {
		period = defaultComparePeriod(cal, s.today(), func(p string) (*compare.Result, error) {
			return svc.Compare(ctx, cc.Campaign.ID, p, domain.CompareQuery{Limit: 1})
		})
	}
	res, err := svc.Compare(ctx, cc.Campaign.ID, period, q)
	if err != nil {
		return err
	}
	v.Period, v.PeriodName, v.Due, v.Total = res.Period, res.PeriodName, res.Due, res.Total
	s.compareTable(c, &v, res, q)
	s.compareFilters(c, &v, res, cal, q)
	s.compareCharts(c, &v, res, cal, func(p string) (*compare.Result, error) {
		return svc.Compare(ctx, cc.Campaign.ID, p, domain.CompareQuery{Limit: 1})
	})
	return s.render(c, http.StatusOK, "compare", v)
}

// compareURL is the page's URL with the current filters and overrides.
func compareURL(c echo.Context, campaignID int64, period string, set map[string]string) string {
	q := url.Values{}
	q.Set("campaign", strconv.FormatInt(campaignID, 10))
	q.Set("period", period)
	for _, k := range []string{"district_id", "report_status", "criterion_not_met", "sort", "desc"} {
		if v := c.QueryParam(k); v != "" {
			q.Set(k, v)
		}
	}
	for k, v := range set {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	return "/compare?" + q.Encode()
}

func (s *Server) compareTable(c echo.Context, v *compareView, res *compare.Result, q domain.CompareQuery) {
	lang := s.lang(c)
	sortKey := q.Sort
	if sortKey == "" {
		sortKey = domain.CompareSortRank
	}
	header := func(key, label, title string) compareHeader {
		h := compareHeader{Label: label, Title: title}
		desc := ""
		if key == sortKey {
			h.Sort = "ascending"
			if q.Desc {
				h.Sort = "descending"
			} else {
				desc = "true"
			}
		}
		h.Href = compareURL(c, v.Campaign.ID, v.Period, map[string]string{"sort": key, "desc": desc, "offset": ""})
		return h
	}
	v.Headers = []compareHeader{
		header(domain.CompareSortRank, s.t(c, "compare.col.rank"), ""),
		header(domain.CompareSortUnit, s.t(c, "compare.col.unit"), ""),
		header(domain.CompareSortDistrict, s.t(c, "compare.col.district"), ""),
	}
	for _, cr := range domain.SuccessCriteria() {
		name := cr.Name
		if lang == web.LangEN {
			name = cr.NameEN
		}
		v.Headers = append(v.Headers, header("c"+strconv.Itoa(cr.Number), s.t(c, "criterion.short", "n", cr.Number), name))
	}
	v.Headers = append(v.Headers,
		header(domain.CompareSortMet, s.t(c, "compare.col.met"), ""),
		header(domain.CompareSortReportStatus, s.t(c, "compare.col.report"), ""),
		header(domain.CompareSortTimeliness, s.t(c, "compare.col.timeliness"), ""),
		header(domain.CompareSortTrend, s.t(c, "compare.col.trend"), ""),
	)
	for _, st := range []string{domain.CriterionMet, domain.CriterionNotMet, domain.CriterionNotApplicable, domain.CriterionMissing} {
		v.Legend = append(v.Legend, s.criterionBadge(c, st))
	}
	cells := map[string]string{}
	for _, st := range []string{domain.CriterionMet, domain.CriterionNotMet, domain.CriterionNotApplicable, domain.CriterionMissing} {
		b := s.criterionBadge(c, st)
		cells[st] = `<td class="s-` + template.HTMLEscapeString(b.Kind) + `">` + template.HTMLEscapeString(b.Icon+" "+b.Label) + `</td>`
	}
	reportBadges := map[string]badge{}
	for _, st := range domain.CompareReportStatuses() {
		reportBadges[st] = s.reportBadge(c, st)
	}
	timeliness := map[string]string{}
	for _, t := range []string{domain.TimelinessOnTime, domain.TimelinessLate, domain.TimelinessMissing, domain.TimelinessNotDue} {
		timeliness[t] = s.t(c, "timeliness."+t)
	}
	under := s.t(c, "compare.under_province")
	for _, r := range res.Rows {
		row := compareRowView{Rank: "—", UnitCode: r.UnitCode, Unit: r.UnitName, District: r.DistrictName, Met: r.MetCount,
			Href:   "/target-areas/" + strconv.FormatInt(r.TargetAreaID, 10) + "/reports/" + v.Period,
			Report: reportBadges[r.ReportStatus], Timeliness: timeliness[r.Timeliness]}
		if r.Rank > 0 {
			row.Rank = strconv.Itoa(r.Rank)
		}
		if r.DistrictID == 0 {
			row.District = under
		}
		var sb strings.Builder
		for _, st := range r.Statuses {
			cell, ok := cells[st]
			if !ok {
				cell = cells[domain.CriterionMissing]
			}
			sb.WriteString(cell)
		}
		row.Cells = template.HTML(sb.String())
		switch r.Trend {
		case domain.TrendUp:
			row.Trend = s.t(c, "compare.trend.up", "n", *r.Change)
		case domain.TrendDown:
			row.Trend = s.t(c, "compare.trend.down", "n", -*r.Change)
		case domain.TrendSame:
			row.Trend = s.t(c, "compare.trend.same")
		default:
			row.Trend = s.t(c, "compare.trend.none")
		}
		v.Rows = append(v.Rows, row)
	}
	v.Pager = web.Pager{Total: res.Total, Limit: comparePageSize, Offset: q.Offset, Base: compareURL(c, v.Campaign.ID, v.Period, nil) + "&"}
	o := res.Overall
	v.Summary = []fact{
		{s.t(c, "compare.summary.areas"), web.FormatInt(lang, int64(o.TargetAreas))},
		{s.t(c, "compare.summary.completeness"), o.Rates.Completeness.Display},
		{s.t(c, "compare.summary.timeliness"), o.Rates.Timeliness.Display},
		{s.t(c, "compare.summary.average"), o.AverageMet.Display},
		{s.t(c, "compare.summary.exited"), web.FormatInt(lang, int64(o.Exited))},
		{s.t(c, "compare.summary.proposed"), web.FormatInt(lang, int64(o.Proposed))},
	}
}

func (s *Server) compareFilters(c echo.Context, v *compareView, res *compare.Result, cal []domain.Period, q domain.CompareQuery) {
	periods := []web.Option{}
	for _, p := range cal {
		periods = append(periods, web.Option{Value: p.Code, Label: p.Name, Selected: p.Code == v.Period})
	}
	districts := []web.Option{{Value: "", Label: s.t(c, "form.any")}}
	for _, d := range res.Districts {
		name := d.DistrictName
		if d.DistrictID == 0 {
			name = s.t(c, "compare.under_province")
		}
		id := strconv.FormatInt(d.DistrictID, 10)
		districts = append(districts, web.Option{Value: id, Label: name, Selected: q.DistrictID != nil && *q.DistrictID == d.DistrictID})
	}
	statuses := []web.Option{{Value: "", Label: s.t(c, "form.any")}}
	for _, st := range domain.CompareReportStatuses() {
		statuses = append(statuses, web.Option{Value: st, Label: s.t(c, "report.status."+st), Selected: q.ReportStatus != nil && *q.ReportStatus == st})
	}
	crit := []web.Option{{Value: "", Label: s.t(c, "compare.criterion.any")}}
	for _, cr := range domain.SuccessCriteria() {
		name := cr.Name
		if s.lang(c) == web.LangEN {
			name = cr.NameEN
		}
		crit = append(crit, web.Option{Value: strconv.Itoa(cr.Number), Label: strconv.Itoa(cr.Number) + ". " + name,
			Selected: q.CriterionNotMet != nil && *q.CriterionNotMet == cr.Number})
	}
	v.Filters = []web.Field{
		{Name: "period", Label: s.t(c, "compare.period"), Type: "select", Options: periods},
		{Name: "district_id", Label: s.t(c, "compare.district"), Type: "select", Options: districts},
		{Name: "report_status", Label: s.t(c, "compare.report_status"), Type: "select", Options: statuses},
		{Name: "criterion_not_met", Label: s.t(c, "compare.criterion"), Type: "select", Options: crit},
	}
}

// compareCharts draws the criteria met per district, the reporting rates
// per district and the trend of the average over the calendar's periods.
func (s *Server) compareCharts(c echo.Context, v *compareView, res *compare.Result, cal []domain.Period, other func(string) (*compare.Result, error)) {
	under := s.t(c, "compare.under_province")
	var met, rates []web.Bar
	for _, d := range res.Districts {
		name := d.DistrictName
		if d.DistrictID == 0 {
			name = under
		}
		met = append(met, web.Bar{Label: name, Values: []web.BarValue{{Num: d.AverageMet.Num, Den: d.AverageMet.Den * 7, Text: d.AverageMet.Display + "/7"}}})
		rates = append(rates, web.Bar{Label: name, Values: []web.BarValue{
			{Num: d.Rates.Completeness.Num, Den: d.Rates.Completeness.Den, Text: d.Rates.Completeness.Display},
			{Num: d.Rates.Timeliness.Num, Den: d.Rates.Timeliness.Den, Text: d.Rates.Timeliness.Display},
		}})
	}
	t1, t2, t3 := s.t(c, "compare.chart.met"), s.t(c, "compare.chart.rates"), s.t(c, "compare.chart.trend")
	v.Charts = append(v.Charts,
		chart{t1, web.BarChart(t1, v.PeriodName, nil, met)},
		chart{t2, web.BarChart(t2, v.PeriodName, []string{s.t(c, "compare.chart.received"), s.t(c, "compare.chart.on_time")}, rates)},
	)
	var points []web.Point
	for _, p := range cal {
		pt := web.Point{Label: p.Code, Missing: true}
		r := res
		if p.Code != v.Period {
			var err error
			if r, err = other(p.Code); err != nil {
				r = nil
			}
		}
		if r != nil && r.Overall.AverageMet.Den > 0 {
			a := r.Overall.AverageMet
			pt = web.Point{Label: p.Code, Num: a.Num, Den: a.Den * 7, Text: a.Display}
		}
		points = append(points, pt)
		if p.Code == v.Period && !s.today().After(p.Due) {
			break // later periods have no reports yet
		}
	}
	v.Charts = append(v.Charts, chart{t3, web.LineChart(t3, v.Campaign.Title, "7", points)})
}

// defaultComparePeriod is the period /compare opens on: the latest (by due
// date) started period with any received report; else the narrowest period
// whose window contains today; else the period currently due.
func defaultComparePeriod(cal []domain.Period, today domain.Date, get func(string) (*compare.Result, error)) string {
	best := -1
	for i, p := range cal {
		if today.Before(p.Start) || (best >= 0 && !cal[best].Due.Before(p.Due)) {
			continue
		}
		if r, err := get(p.Code); err == nil && r != nil && r.Overall.Rates.Received > 0 {
			best = i
		}
	}
	if best >= 0 {
		return cal[best].Code
	}
	for i, p := range cal {
		if p.Contains(today) && (best < 0 || p.Start.After(cal[best].Start) || (p.Start == cal[best].Start && p.End.Before(cal[best].End))) {
			best = i
		}
	}
	if best >= 0 {
		return cal[best].Code
	}
	return currentPeriod(cal, today).Code
}
