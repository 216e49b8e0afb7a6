package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
	"chuyenhoa/store/reports"
)

// reviewTarget reads the report a review form names, and the version the
// reviewer saw.
func (s *Server) reviewTarget(c echo.Context) (*reports.Report, *int, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	r, err := s.reportStore().FindReport(c.Request().Context(), id)
	if err != nil {
		return nil, nil, err
	}
	var version *int
	if v, err := strconv.Atoi(c.FormValue("version")); err == nil {
		version = &v
	}
	return r, version, nil
}

func reportPath(r *reports.Report) string {
	return "/target-areas/" + itoa(r.TargetAreaID) + "/reports/" + r.Period
}

// reviewRefused re-renders the report page with the review's messages.
func (s *Server) reviewRefused(c echo.Context, r *reports.Report, err error, in *reportInput) error {
	fields, summary, ferr := s.formMsgs(c, err)
	if ferr != nil {
		return ferr
	}
	d, lerr := s.loadReportPage(c.Request().Context(), r.TargetAreaID, r.Period)
	if lerr != nil {
		return lerr
	}
	in.summary = summary
	if in.review != nil {
		in.review.ReasonError = fields["reason"].Text
		in.errors = domain.FieldErrors{}
		for k, v := range fields {
			if code, ok := strings.CutPrefix(k, "fields."); ok {
				in.errors[code] = v
			}
		}
	}
	if in.assess != nil {
		in.assess.MetError, in.assess.NoteError = fields["met"].Text, fields["note"].Text
	}
	status := http.StatusBadRequest
	if domain.ErrorCode(err) == domain.ECONFLICT {
		status = http.StatusConflict
	}
	return s.renderReport(c, status, d, in)
}

// reportReturn sends a submitted report back with the reason and the
// remarks typed next to each indicator.
func (s *Server) reportReturn(c echo.Context) error {
	r, version, err := s.reviewTarget(c)
	if err != nil {
		return err
	}
	form, _ := c.FormParams()
	in := reports.ReturnInput{Version: version, ReturnInput: domain.ReturnInput{Reason: strings.TrimSpace(c.FormValue("reason"))}}
	remarks := map[string]string{}
	for k, vs := range form {
		if code, ok := strings.CutPrefix(k, "r."); ok && len(vs) > 0 && strings.TrimSpace(vs[0]) != "" {
			remarks[code] = strings.TrimSpace(vs[0])
		}
	}
	if len(remarks) > 0 {
		in.Fields = remarks
	}
	out, err := s.reportStore().Return(c.Request().Context(), r.ID, in)
	if err != nil {
		return s.reviewRefused(c, r, err, &reportInput{review: &reviewPanel{Reason: in.Reason}, remarks: remarks})
	}
	s.bump(c, out.TenantID, out.CampaignID)
	s.flash(c, "ok", s.t(c, "review.return.done", "unit", s.unitNames(c.Request().Context(), []int64{out.UnitID})[out.UnitID]))
	return redirect(c, reportPath(out))
}

// reportAccept accepts a submitted report.
func (s *Server) reportAccept(c echo.Context) error {
	r, version, err := s.reviewTarget(c)
	if err != nil {
		return err
	}
	out, err := s.reportStore().Accept(c.Request().Context(), r.ID, reports.ReviewInput{Version: version, Comment: strings.TrimSpace(c.FormValue("comment"))})
	if err != nil {
		return s.reviewRefused(c, r, err, &reportInput{review: &reviewPanel{}})
	}
	s.bump(c, out.TenantID, out.CampaignID)
	s.flash(c, "ok", s.t(c, "review.accept.done", "unit", s.unitNames(c.Request().Context(), []int64{out.UnitID})[out.UnitID]))
	return redirect(c, reportPath(out))
}

// reportAssess records the district's political-system assessment.
func (s *Server) reportAssess(c echo.Context) error {
	r, version, err := s.reviewTarget(c)
	if err != nil {
		return err
	}
	panel := &assessPanel{Met: c.FormValue("met"), Note: c.FormValue("note")}
	var met bool
	switch panel.Met {
	case "true":
		met = true
	case "false":
	default:
		return s.reviewRefused(c, r, domain.Invalid("Dữ liệu không hợp lệ", map[string]string{"met": "Phải chọn đạt hoặc chưa đạt"}), &reportInput{assess: panel})
	}
	out, err := s.reportStore().Assess(c.Request().Context(), r.ID, reports.AssessInput{Assessment: domain.Assessment{Met: met, Note: strings.TrimSpace(panel.Note)}, Version: version})
	if err != nil {
		return s.reviewRefused(c, r, err, &reportInput{assess: panel})
	}
	s.bump(c, out.TenantID, out.CampaignID)
	s.flash(c, "ok", s.t(c, "review.assess.done"))
	return redirect(c, reportPath(out))
}
