package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
	"chuyenhoa/store/compare"
)

// registerCompareRoutes registers the compare endpoints.
func (s *Server) registerCompareRoutes() {
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/campaigns/:id/compare", Permission: "compare:read", Tag: "compare",
		Summary: "Province comparison of a campaign and period at the caller's scope (province or district): one row per target area with " +
			"the seven criteria, criteria met, report status and timeliness, trend and rank; reporting rates and a summary per district. " +
			"Read from the stored evaluations through the shared cache (X-Cache: hit, miss or fallback).",
		Query:    compareQueryParams(),
		Response: "Comparison", Handler: s.getComparison})
}

// compareQueryParams documents the query of a comparison (JSON or Excel).
func compareQueryParams() map[string]string {
	return map[string]string{
		"period":            "period code of the campaign calendar (Q1, 6T, Q3, NAM…), required",
		"district_id":       "rows of one district (0: wards directly under the province)",
		"target_status":     "rows whose target area has this status (approved, in_progress, exited…)",
		"report_status":     "accepted, submitted, returned, draft or missing",
		"criterion_not_met": "1–7: rows where that criterion is not met or missing",
		"sort":              "rank (default), unit, district, met, c1…c7, report_status, timeliness, trend",
		"desc":              "true to reverse the sort",
		"limit":             "page size (0–10000, 0 or absent: every row)",
		"offset":            "rows to skip",
	}
}

// compareSchemas lists the OpenAPI components of the compare endpoints.
func compareSchemas() map[string]any {
	return map[string]any{"Comparison": compare.Result{}}
}

func (s *Server) compareService() *compare.Service {
	return &compare.Service{DB: s.opts.DB, Views: s.opts.Views, Now: s.opts.Now}
}

func (s *Server) getComparison(c echo.Context) error {
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
	b, out, err := s.compareService().CompareJSON(c.Request().Context(), id, period, q)
	if err != nil {
		return err
	}
	c.Response().Header().Set("X-Cache", string(out))
	c.Response().Header().Set(echo.HeaderCacheControl, "private, no-store")
	return c.JSONBlob(http.StatusOK, b)
}

// compareQuery reads the filters, sort and paging of a comparison,
// naming every bad parameter.
func compareQuery(c echo.Context) (domain.CompareQuery, error) {
	var q domain.CompareQuery
	fe := domain.FieldErrors{}
	if v := c.QueryParam("district_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			fe.Add("district_id", "phải là số nguyên không âm (0: trực thuộc tỉnh)")
		}
		q.DistrictID = &n
	}
	if v := c.QueryParam("target_status"); v != "" {
		q.TargetStatus = &v
	}
	if v := c.QueryParam("report_status"); v != "" {
		q.ReportStatus = &v
	}
	if v := c.QueryParam("criterion_not_met"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1
		}
		q.CriterionNotMet = &n
	}
	q.Sort = c.QueryParam("sort")
	if v := c.QueryParam("desc"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fe.Add("desc", "phải là true hoặc false")
		}
		q.Desc = b
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"limit", &q.Limit}, {"offset", &q.Offset}} {
		if v := c.QueryParam(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				fe.Add(p.name, "phải là số nguyên")
				continue
			}
			*p.dst = n
		}
	}
	if err := domain.ValidateCompareQuery(q); err != nil {
		if de, ok := err.(*domain.Error); ok {
			for k, v := range de.FieldErrors() {
				fe.AddMsg(k, v)
			}
		}
	}
	return q, fe.Err()
}
