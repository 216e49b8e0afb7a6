package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/reports"
)

// List is the JSON shape of a short, unpaged list.
type List[T any] struct {
	Items []T `json:"items"`
}

// ReportSave is the body of a partial save: the version edited (0 when the
// report does not exist yet) and the values to change, by indicator code; a
// null clears a value.
type ReportSave struct {
	Version *int                `json:"version"`
	Values  domain.ReportValues `json:"values"`
}

// reportSaveRaw decodes ReportSave keeping the values as sent, so the
// domain decoder sees duplicates, types and unknown codes exactly.
type reportSaveRaw struct {
	Version *int            `json:"version"`
	Values  json.RawMessage `json:"values"`
}

// IdempotencyHeader is the header of a retry-safe submission.
const IdempotencyHeader = "Idempotency-Key"

// registerReportRoutes registers the report endpoints: calendar and
// indicator catalogue of a campaign, reports with their revisions and
// review, baselines, evaluations and the exit decision.
func (s *Server) registerReportRoutes() {
	const tag = "reports"
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/campaigns/:id/calendar", Permission: "campaign:read", Tag: tag,
		Summary: "The campaign's reporting calendar (periods, monthly reports, exit period; locked once a report is submitted)", Response: "Calendar", Handler: s.getCalendar})
	s.add(Route{Method: http.MethodPut, Path: "/api/v1/campaigns/:id/calendar", Permission: "calendar:write", Tag: tag,
		Summary: "Replace the campaign's calendar (province; only while no report has been submitted)", Body: "CalendarInput", Response: "Calendar", Handler: s.putCalendar})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/campaigns/:id/indicators", Permission: "campaign:read", Tag: tag,
		Summary: "The campaign's indicator catalogue: the defaults and the province's own. An indicator with entered_through \"assessment\" (political_system) is not a report value: the reviewer sets it through POST /api/v1/reports/{id}/assessment after submission", Response: "Catalogue", Handler: s.getCatalogue})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/campaigns/:id/indicators", Permission: "indicator:write", Tag: tag,
		Summary: "Add a province indicator (count or bool) to the campaign's catalogue", Body: "Indicator", Response: "Catalogue", Created: true, Handler: s.addIndicator})
	s.add(Route{Method: http.MethodPatch, Path: "/api/v1/campaigns/:id/indicators/:code", Permission: "indicator:write", Tag: tag,
		Summary: "Change an indicator's wording or who may enter it (code and type never change)", Body: "IndicatorUpdate", Response: "Catalogue", Handler: s.updateIndicator})

	s.add(Route{Method: http.MethodGet, Path: "/api/v1/target-areas/:id/reports", Permission: "report:read", Tag: tag,
		Summary: "Reports of a target area, by period", Response: "ReportList", Handler: s.listReports})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/target-areas/:id/reports/:period", Permission: "report:read", Tag: tag,
		Summary: "The report of a target area for a period (an empty draft with version 0 before the first save)", Response: "Report", Handler: s.getReportByPeriod})
	s.add(Route{Method: http.MethodPatch, Path: "/api/v1/target-areas/:id/reports/:period", Permission: "report:write", Tag: tag,
		Summary: "Save some values of the report (version 0 creates it); a stale version is 409 with the current report, an indicator the caller may not enter is 403 naming it, a bad value 400 naming every field — nothing is saved then",
		Body:    "ReportSave", Response: "Report", Handler: s.saveReportByPeriod})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/reports/:id", Permission: "report:read", Tag: tag,
		Summary: "Read one report", Response: "Report", Handler: s.getReport})
	s.add(Route{Method: http.MethodPatch, Path: "/api/v1/reports/:id", Permission: "report:write", Tag: tag,
		Summary: "Save some values of a report (as PATCH …/reports/{period})", Body: "ReportSave", Response: "Report", Handler: s.saveReport})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/reports/:id/submit", Permission: "report:submit", Tag: tag,
		Summary: "Submit the report to the unit above the ward (its district, or the province for a ward directly under it) as a new revision. Send an Idempotency-Key header to retry safely: the same key and body return the first answer and create nothing; the same key with another body is 422",
		Body:    "SubmitInput", OptionalBody: true, Response: "Report", Handler: s.submitReport})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/reports/:id/return", Permission: "report:review", Tag: tag,
		Summary: "Return a submitted report with a reason and optional remarks per indicator", Body: "ReturnInput", Response: "Report", Handler: s.returnReport})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/reports/:id/accept", Permission: "report:review", Tag: tag,
		Summary: "Accept a submitted report", Body: "ReviewInput", OptionalBody: true, Response: "Report", Handler: s.acceptReport})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/reports/:id/assessment", Permission: "report:assess", Tag: tag,
		Summary: "The reviewing unit's assessment of the political system (criterion 2): the ward's district, or the province for a ward directly under it", Body: "AssessInput", Response: "Report", Handler: s.assessReport})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/reports/:id/revisions", Permission: "report:read", Tag: tag,
		Summary: "Every submitted revision of a report", Response: "RevisionList", Handler: s.listRevisions})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/reports/:id/diff", Permission: "report:read", Tag: tag,
		Summary: "Values that differ between two revisions (to=0 or absent: the working copy)", Query: map[string]string{"from": "revision number", "to": "revision number, 0 for the working copy"},
		Response: "Diff", Handler: s.diffReport})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/reports/:id/events", Permission: "report:read", Tag: tag,
		Summary: "The report's history: created, submitted, returned (with reasons), accepted, assessed", Response: "EventList", Handler: s.listReportEvents})

	s.add(Route{Method: http.MethodGet, Path: "/api/v1/target-areas/:id/evaluations", Permission: "evaluation:read", Tag: tag,
		Summary: "Stored evaluations of the seven criteria for a target area, by period", Response: "EvaluationList", Handler: s.listEvaluations})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/target-areas/:id/evaluations/:period", Permission: "evaluation:read", Tag: tag,
		Summary: "The stored evaluation of the seven criteria for a target area and period", Response: "Evaluation", Handler: s.getEvaluation})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/target-areas/:id/baseline", Permission: "report:read", Tag: tag,
		Summary: "The baseline count of offences and social evils before transformation", Response: "Baseline", Handler: s.getBaseline})
	s.add(Route{Method: http.MethodPut, Path: "/api/v1/target-areas/:id/baseline", Permission: "baseline:write", Tag: tag,
		Summary: "Enter the baseline (police of the district); version 0 creates it", Body: "BaselineInput", Response: "Baseline", Handler: s.putBaseline})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/target-areas/:id/exits", Permission: "target:read", Tag: tag,
		Summary: "Exit proposals of a target area with their snapshots and decisions", Response: "ExitList", Handler: s.listExits})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/target-areas/:id/exit-proposal", Permission: "target:exit_propose", Tag: tag,
		Summary: "Propose the exit (the ward's district, or the province for a ward directly under it): only when every criterion is met or n/a in the accepted report of the campaign's exit period", Body: "ExitProposalInput", Response: "Exit", Created: true, Handler: s.proposeExit})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/target-areas/:id/exit-decision", Permission: "target:exit_decide", Tag: tag,
		Summary: "Decide the pending exit proposal (province): exited with the decision, or not_exited with the reason", Body: "ExitDecisionInput", Response: "Exit", Handler: s.decideExit})
}

// reportSchemas lists the OpenAPI components of the report endpoints.
func reportSchemas() map[string]any {
	return map[string]any{
		"Calendar":          reports.Calendar{},
		"CalendarInput":     reports.CalendarInput{},
		"Catalogue":         reports.Catalogue{},
		"Indicator":         domain.Indicator{},
		"IndicatorUpdate":   reports.IndicatorUpdate{},
		"Report":            reports.Report{},
		"ReportList":        List[reports.Report]{},
		"ReportSave":        ReportSave{},
		"SubmitInput":       reports.SubmitInput{},
		"ReturnInput":       reports.ReturnInput{},
		"ReviewInput":       reports.ReviewInput{},
		"AssessInput":       reports.AssessInput{},
		"RevisionList":      List[reports.Revision]{},
		"Diff":              reports.Diff{},
		"EventList":         List[reports.Event]{},
		"Evaluation":        reports.Evaluation{},
		"EvaluationList":    List[reports.Evaluation]{},
		"Baseline":          reports.Baseline{},
		"BaselineInput":     reports.BaselineInput{},
		"Exit":              reports.Exit{},
		"ExitList":          List[reports.Exit]{},
		"ExitProposalInput": reports.ExitProposalInput{},
		"ExitDecisionInput": domain.ExitDecisionInput{},
	}
}

func (s *Server) reportStore() *reports.Service {
	return &reports.Service{DB: s.opts.DB, Now: s.opts.Now, Outbox: s.opts.Outbox}
}

// bump invalidates the cached views of a campaign after a committed write.
func (s *Server) bump(c echo.Context, tenantID, campaignID int64) {
	if s.opts.Views != nil && campaignID != 0 {
		s.opts.Views.Bump(c.Request().Context(), tenantID, campaignID)
	}
}

func periodParam(c echo.Context) (string, error) {
	p := c.Param("period")
	if p == "" || len(p) > 16 || !utf8.ValidString(p) {
		return "", domain.Invalid("Tham số đường dẫn không hợp lệ", map[string]string{"period": "mã kỳ báo cáo không hợp lệ"})
	}
	return p, nil
}

func (s *Server) getCalendar(c echo.Context) error {
	return answerByID(c, s.reportStore().FindCalendar)
}

func (s *Server) putCalendar(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in reports.CalendarInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cal, err := s.reportStore().UpdateCalendar(c.Request().Context(), id, in)
	if err != nil {
		return err
	}
	s.bump(c, cal.TenantID, cal.CampaignID)
	return c.JSON(http.StatusOK, cal)
}

func (s *Server) getCatalogue(c echo.Context) error {
	return answerByID(c, s.reportStore().FindCatalogue)
}

func (s *Server) addIndicator(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in domain.Indicator
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cat, err := s.reportStore().AddIndicator(c.Request().Context(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, cat)
}

func (s *Server) updateIndicator(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in reports.IndicatorUpdate
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cat, err := s.reportStore().UpdateIndicator(c.Request().Context(), id, c.Param("code"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cat)
}

func (s *Server) listReports(c echo.Context) error {
	return listByID(c, s.reportStore().FindReports)
}

func (s *Server) getReportByPeriod(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := periodParam(c)
	if err != nil {
		return err
	}
	r, err := s.reportStore().ReportByPeriod(c.Request().Context(), id, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func decodeSave(c echo.Context) (int, []byte, error) {
	var in reportSaveRaw
	if err := decodeJSON(c, &in); err != nil {
		return 0, nil, err
	}
	fe := domain.FieldErrors{}
	if in.Version == nil {
		fe.Add("version", "Phải gửi phiên bản (version) của báo cáo đã tải về; 0 khi báo cáo chưa có")
	} else if *in.Version < 0 {
		fe.Add("version", "Phiên bản không được là số âm")
	}
	if len(in.Values) == 0 {
		fe.Add("values", "Phải gửi số liệu dạng {\"mã chỉ tiêu\": giá trị}")
	}
	if err := fe.Err(); err != nil {
		return 0, nil, err
	}
	return *in.Version, in.Values, nil
}

func (s *Server) saveReportByPeriod(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := periodParam(c)
	if err != nil {
		return err
	}
	version, values, err := decodeSave(c)
	if err != nil {
		return err
	}
	r, err := s.reportStore().SaveValues(c.Request().Context(), id, p, version, values)
	if err != nil {
		return err
	}
	s.bump(c, r.TenantID, r.CampaignID)
	return c.JSON(http.StatusOK, r)
}

func (s *Server) getReport(c echo.Context) error {
	return answerByID(c, s.reportStore().FindReport)
}

func (s *Server) saveReport(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	version, values, err := decodeSave(c)
	if err != nil {
		return err
	}
	r, err := s.reportStore().SaveReport(c.Request().Context(), id, version, values)
	if err != nil {
		return err
	}
	s.bump(c, r.TenantID, r.CampaignID)
	return c.JSON(http.StatusOK, r)
}

// decodeOptional decodes a body that may be empty (read as {}).
func decodeOptional(c echo.Context, v any) error {
	b, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return jsonError(err)
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil
	}
	c.Request().Body = io.NopCloser(strings.NewReader(string(b)))
	return decodeJSON(c, v)
}

func (s *Server) submitReport(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in reports.SubmitInput
	if err := decodeOptional(c, &in); err != nil {
		return err
	}
	var key *reports.IdemKey
	if k := c.Request().Header.Get(IdempotencyHeader); k != "" {
		if len(k) > 200 || !utf8.ValidString(k) {
			return domain.Invalid("Idempotency-Key không hợp lệ", map[string]string{IdempotencyHeader: "tối đa 200 ký tự"})
		}
		u := identity.UserFromContext(c.Request().Context())
		if u == nil {
			return domain.Errorf(domain.EUNAUTHENTICATED, "Cần đăng nhập")
		}
		canon, _ := json.Marshal(in)
		sum := sha256.Sum256(canon)
		key = &reports.IdemKey{UserID: u.ID, Key: k, Route: "POST /api/v1/reports/" + strconv.FormatInt(id, 10) + "/submit", BodyHash: hex.EncodeToString(sum[:])}
	}
	res, err := s.reportStore().Submit(c.Request().Context(), id, in, key)
	if err != nil {
		return err
	}
	if res.Replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	} else if res.Report != nil {
		s.bump(c, res.Report.TenantID, res.Report.CampaignID)
	}
	return c.JSONBlob(res.Status, res.Body)
}

func (s *Server) reviewStep(c echo.Context, in any, run func(id int64) (*reports.Report, error)) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := decodeOptional(c, in); err != nil {
		return err
	}
	r, err := run(id)
	if err != nil {
		return err
	}
	s.bump(c, r.TenantID, r.CampaignID)
	return c.JSON(http.StatusOK, r)
}

func (s *Server) returnReport(c echo.Context) error {
	var in reports.ReturnInput
	return s.reviewStep(c, &in, func(id int64) (*reports.Report, error) {
		return s.reportStore().Return(c.Request().Context(), id, in)
	})
}

func (s *Server) acceptReport(c echo.Context) error {
	var in reports.ReviewInput
	return s.reviewStep(c, &in, func(id int64) (*reports.Report, error) {
		return s.reportStore().Accept(c.Request().Context(), id, in)
	})
}

func (s *Server) assessReport(c echo.Context) error {
	var in struct {
		Met     *bool  `json:"met"`
		Note    string `json:"note"`
		Version *int   `json:"version"`
	}
	return s.reviewStep(c, &in, func(id int64) (*reports.Report, error) {
		if in.Met == nil {
			return nil, domain.Invalid("Dữ liệu không hợp lệ", map[string]string{"met": "Phải chọn đạt (true) hoặc chưa đạt (false)"})
		}
		return s.reportStore().Assess(c.Request().Context(), id, reports.AssessInput{Assessment: domain.Assessment{Met: *in.Met, Note: in.Note}, Version: in.Version})
	})
}

func (s *Server) listRevisions(c echo.Context) error {
	return listByID(c, s.reportStore().FindRevisions)
}

func (s *Server) diffReport(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	num := func(name string, def int) (int, error) {
		v := c.QueryParam(name)
		if v == "" {
			return def, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, domain.Invalid("Tham số không hợp lệ", map[string]string{name: "phải là số lần gửi (số nguyên không âm)"})
		}
		return n, nil
	}
	from, err := num("from", 1)
	if err != nil {
		return err
	}
	to, err := num("to", 0)
	if err != nil {
		return err
	}
	d, err := s.reportStore().DiffRevisions(c.Request().Context(), id, from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

func (s *Server) listReportEvents(c echo.Context) error {
	return listByID(c, s.reportStore().FindEvents)
}

func (s *Server) listEvaluations(c echo.Context) error {
	return listByID(c, s.reportStore().FindEvaluations)
}

func (s *Server) getEvaluation(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := periodParam(c)
	if err != nil {
		return err
	}
	ev, err := s.reportStore().FindEvaluation(c.Request().Context(), id, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ev)
}

func (s *Server) getBaseline(c echo.Context) error {
	return answerByID(c, s.reportStore().FindBaseline)
}

func (s *Server) putBaseline(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in reports.BaselineInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	b, err := s.reportStore().PutBaseline(c.Request().Context(), id, in)
	if err != nil {
		return err
	}
	s.bump(c, b.TenantID, b.CampaignID)
	return c.JSON(http.StatusOK, b)
}

func (s *Server) listExits(c echo.Context) error {
	return listByID(c, s.reportStore().FindExits)
}

func (s *Server) proposeExit(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in reports.ExitProposalInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	x, err := s.reportStore().ProposeExit(c.Request().Context(), id, in)
	if err != nil {
		return err
	}
	s.bump(c, x.TenantID, x.CampaignID)
	return c.JSON(http.StatusCreated, x)
}

func (s *Server) decideExit(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in domain.ExitDecisionInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	x, err := s.reportStore().DecideExit(c.Request().Context(), id, in)
	if err != nil {
		return err
	}
	s.bump(c, x.TenantID, x.CampaignID)
	return c.JSON(http.StatusOK, x)
}
