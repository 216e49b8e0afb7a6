package api

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/xlsx"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/compare"
	"chuyenhoa/store/reports"
	"chuyenhoa/tenants"
)

// registerExportRoutes registers the Excel exports (SPEC §6): the JSON
// API's routes, and the same exports for the web session (the links on the
// comparison and report pages), which share the handlers and their checks.
func (s *Server) registerExportRoutes() {
	const tag = "export"
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/campaigns/:id/compare.xlsx", Permission: "export:read", Tag: tag,
		Summary: "The comparison of GET /api/v1/campaigns/{id}/compare (same scope, filters, sort and cache) as an Excel workbook " +
			"(application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) in the layout of an official report: a sheet with one row " +
			"per target area (the seven criteria, criteria met, report status, timeliness, trend, rank) and a sheet of reporting rates " +
			"and summaries per district",
		Query: compareQueryParams(), Response: "xlsx", Handler: s.exportComparison})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/reports/:id/export.xlsx", Permission: "report:read", Tag: tag,
		Summary: "One report as an Excel workbook (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) laid out as the " +
			"official form: status, revision and submission date, the values by section, the seven criteria with their verdicts and reasons",
		Response: "xlsx", Handler: s.exportReport})

	if s.opts.Identity == nil || s.sessions == nil {
		return
	}
	mw := s.webMiddleware()
	s.Echo.GET("/compare/export.xlsx", s.requireWeb("export:read", s.exportComparisonPage), mw...)
	s.Echo.GET("/reports/:id/export.xlsx", s.requireWeb("report:read", s.exportReport), mw...)
}

// exportComparison answers GET /api/v1/campaigns/:id/compare.xlsx.
func (s *Server) exportComparison(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	q, err := compareQuery(c)
	if err != nil {
		return err
	}
	period := c.QueryParam("period")
	if period == "" {
		return domain.Invalid("Thiếu kỳ báo cáo", map[string]string{"period": "Cần mã kỳ báo cáo (Q1, 6T, Q3, NAM…)"})
	}
	return s.sendComparison(c, id, period, q)
}

// exportComparisonPage answers the comparison page's export: the campaign
// and filters come from the page's query (?campaign=…&period=…), the
// period defaulting as on the page.
func (s *Server) exportComparisonPage(c echo.Context) error {
	id, err := strconv.ParseInt(c.QueryParam("campaign"), 10, 64)
	if err != nil || id <= 0 {
		return domain.Invalid("Tham số không hợp lệ", map[string]string{"campaign": "phải là số nguyên dương"})
	}
	q, err := compareQuery(c)
	if err != nil {
		return err
	}
	period := c.QueryParam("period")
	if period == "" {
		camp, err := campaigns.FindCampaignByID(c.Request().Context(), s.opts.DB, id)
		if err != nil {
			return err
		}
		cal := camp.Calendar
		if len(cal) == 0 {
			cal = domain.DefaultCalendar(camp.Year)
		}
		period = currentPeriod(cal, s.today()).Code
	}
	return s.sendComparison(c, id, period, q)
}

// sendComparison writes the comparison of the campaign and period at the
// caller's scope, read through the same service and cache as the JSON
// comparison, as a workbook.
func (s *Server) sendComparison(c echo.Context, campaignID int64, period string, q domain.CompareQuery) error {
	ctx := c.Request().Context()
	res, err := s.compareService().Compare(ctx, campaignID, period, q)
	if err != nil {
		return err
	}
	camp, err := campaigns.FindCampaignByID(ctx, s.opts.DB, campaignID)
	if err != nil {
		return err
	}
	cal := camp.Calendar
	if len(cal) == 0 {
		cal = domain.DefaultCalendar(camp.Year)
	}
	p, ok := domain.FindPeriod(cal, res.Period)
	if !ok {
		p = domain.Period{Code: res.Period, Name: res.PeriodName, Due: res.Due}
	}
	unit, err := s.homeUnitName(ctx)
	if err != nil {
		return err
	}
	b, err := xlsx.ComparisonWorkbook(xlsx.Comparison{
		Heading:       xlsx.Heading{Unit: unit, Now: s.opts.Now()},
		CampaignTitle: camp.Title, Period: p, Scope: unit, Filters: compareFilters(res, q), Table: res.Comparison,
	})
	if err != nil {
		return err
	}
	c.Response().Header().Set("X-Cache", string(res.Source))
	return sendXLSX(c, b, "Tổng hợp chuyển hóa "+p.Name+" "+domain.DateOf(s.opts.Now()).String()+".xlsx")
}

// homeUnitName names the caller's unit, which issues the export.
func (s *Server) homeUnitName(ctx context.Context) (string, error) {
	u := identity.UserFromContext(ctx)
	if u == nil {
		return "", nil
	}
	if u.Unit != nil {
		return u.Unit.Name, nil
	}
	if id := u.HomeUnitID(); id != 0 {
		unit, err := tenants.FindUnitByID(ctx, s.opts.DB, id)
		if err != nil {
			return "", err
		}
		return unit.Name, nil
	}
	return "", nil
}

// compareFilters describes the filters and page of q in Vietnamese.
func compareFilters(res *compare.Result, q domain.CompareQuery) []string {
	var out []string
	if q.DistrictID != nil {
		name := domain.DirectlyUnderProvince
		for _, d := range res.Districts {
			if d.DistrictID == *q.DistrictID && d.DistrictID != 0 {
				name = d.DistrictName
			}
		}
		out = append(out, "huyện: "+name)
	}
	if q.TargetStatus != nil {
		out = append(out, "trạng thái địa bàn: "+xlsx.TargetStatusText(*q.TargetStatus))
	}
	if q.ReportStatus != nil {
		out = append(out, "tình trạng báo cáo: "+xlsx.ReportStatusText(*q.ReportStatus))
	}
	if q.CriterionNotMet != nil {
		out = append(out, "chưa đạt tiêu chí TC"+strconv.Itoa(*q.CriterionNotMet))
	}
	if q.Limit > 0 || q.Offset > 0 {
		from := max(q.Offset, 0) + 1
		out = append(out, "dòng "+strconv.Itoa(from)+"–"+strconv.Itoa(from+len(res.Rows)-1)+" trên tổng "+strconv.Itoa(res.Total))
	}
	return out
}

// exportReport answers GET /api/v1/reports/:id/export.xlsx and the report
// page's export: the report is read through the same scoped services as
// GET /api/v1/reports/:id (outside the caller's scope it is not found).
func (s *Server) exportReport(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	store := s.reportStore()
	r, err := store.FindReport(ctx, id)
	if err != nil {
		return err
	}
	ta, err := campaigns.FindTargetAreaByID(ctx, s.opts.DB, r.TargetAreaID)
	if err != nil {
		return err
	}
	camp, err := campaigns.FindCampaignByID(ctx, s.opts.DB, r.CampaignID)
	if err != nil {
		return err
	}
	cal, err := store.FindCalendar(ctx, r.CampaignID)
	if err != nil {
		return err
	}
	p := domain.Period{Code: r.Period, Name: r.Period}
	for _, cp := range append(slices.Clone(cal.Periods), cal.Monthly...) {
		if cp.Code == r.Period {
			p = cp
		}
	}
	cat, err := store.FindCatalogue(ctx, r.CampaignID)
	if err != nil {
		return err
	}
	ev, err := store.FindEvaluation(ctx, r.TargetAreaID, r.Period)
	if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		return err
	}
	out := xlsx.Report{
		Heading:       xlsx.Heading{Unit: ta.UnitName, Now: s.opts.Now()},
		CampaignTitle: camp.Title, Period: p, Unit: ta.UnitName, UnitCode: ta.UnitCode,
		Status: r.Status, Revision: r.SubmittedRevision, SubmittedAt: r.SubmittedAt, LastSubmittedAt: r.LastSubmittedAt,
		AcceptedAt: r.AcceptedAt, Timeliness: r.Timeliness, ReturnReason: r.ReviewComment,
		Groups: reportGroups(r, cat),
	}
	if ev != nil && ev.ReportID != nil {
		out.Criteria, out.MetCount = ev.Result.Criteria[:], ev.MetCount
	}
	b, err := xlsx.ReportWorkbook(out)
	if err != nil {
		return err
	}
	return sendXLSX(c, b, "Báo cáo chuyển hóa "+ta.UnitName+" "+p.Name+".xlsx")
}

// reportGroups lays the report's values out by the catalogue's sections,
// as the report page does.
func reportGroups(r *reports.Report, cat *reports.Catalogue) []xlsx.ReportGroup {
	groups := cat.Groups
	if len(groups) == 0 {
		groups = domain.DefaultIndicatorGroups()
	}
	byGroup := map[string][]domain.Indicator{}
	for _, ci := range cat.Indicators {
		byGroup[ci.Group] = append(byGroup[ci.Group], ci.Indicator)
	}
	var out []xlsx.ReportGroup
	for _, g := range groups {
		inds := byGroup[g.Code]
		if len(inds) == 0 {
			continue
		}
		rg := xlsx.ReportGroup{Name: g.Name}
		for _, ind := range inds {
			val := r.Values[ind.Code]
			if ind.Code == domain.IndPoliticalSystem && r.Assessment != nil && val.IsNull() {
				val = domain.AssessmentValue(*r.Assessment)
			}
			rg.Lines = append(rg.Lines, xlsx.ReportLine{Label: ind.Label, Unit: ind.Unit, Value: val, Remark: r.FieldComments[ind.Code]})
		}
		out = append(out, rg)
	}
	return out
}

// sendXLSX answers a workbook as a download named name: an ASCII filename
// for old clients and the exact UTF-8 one in filename* (RFC 6266).
func sendXLSX(c echo.Context, b []byte, name string) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+asciiFilename(name)+`"; filename*=UTF-8''`+encodeRFC5987(name))
	h.Set(echo.HeaderCacheControl, "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, xlsx.ContentType, b)
}

// asciiFilename folds a file name to lower-case ASCII words joined by "-",
// keeping its extension: "Báo cáo Phường Nếnh.xlsx" → "bao-cao-phuong-nenh.xlsx".
func asciiFilename(name string) string {
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		name, ext = name[:i], strings.ToLower(name[i:])
	}
	var b strings.Builder
	dash := false
	for _, r := range domain.FoldVietnamese(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		b.WriteString("export")
	}
	return b.String() + ext
}

// encodeRFC5987 percent-encodes s as the value of an ext-value (RFC 5987):
// every byte but the attr-chars.
func encodeRFC5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte("!#$&+-.^_`|~", ch) >= 0 {
			b.WriteByte(ch)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[ch>>4])
		b.WriteByte(hex[ch&15])
	}
	return b.String()
}
