package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/reports"
)

// groupedDigits is a count typed with thousands separators: 1.234 or 1 234.
var groupedDigits = regexp.MustCompile(`^\d{1,3}([. ]\d{3})+$`)

// reportPatch turns the form into the JSON patch the report service takes,
// for the indicators the user may enter. A value that is not a count is
// passed on as it was typed, so the service's own validation names it
// (in Vietnamese) next to the field; nothing is judged here.
func reportPatch(c echo.Context, u *identity.User, cat []domain.Indicator) ([]byte, map[string]string) {
	typed := map[string]string{}
	var buf bytes.Buffer
	buf.WriteByte('{')
	first := true
	for _, ind := range cat {
		if !canEnter(u, ind) {
			continue
		}
		raw, sent := c.Request().PostForm["v."+ind.Code]
		if !sent || len(raw) == 0 {
			continue
		}
		v := strings.TrimSpace(raw[0])
		typed[ind.Code] = v
		var tok []byte
		switch {
		case v == "":
			tok = []byte("null")
		case ind.Type == domain.IndicatorBool && (v == "true" || v == "false"):
			tok = []byte(v)
		case ind.Type == domain.IndicatorCount && groupedDigits.MatchString(v):
			tok = []byte(strings.NewReplacer(".", "", " ", "").Replace(v))
		case ind.Type == domain.IndicatorCount && json.Valid([]byte(v)) && (v[0] == '-' || v[0] >= '0' && v[0] <= '9'):
			tok = []byte(v)
		default:
			tok, _ = json.Marshal(v)
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		k, _ := json.Marshal(ind.Code)
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(tok)
	}
	buf.WriteByte('}')
	return buf.Bytes(), typed
}

// reportSave saves the values the user may enter (a draft) and, with
// action=submit, sends the report to the district, through the same
// report service as the JSON API. A refused save re-renders the form with
// what was typed and the service's message next to each field.
func (s *Server) reportSave(c echo.Context) error {
	taID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	period, err := periodParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u := identity.UserFromContext(ctx)
	if err := c.Request().ParseForm(); err != nil {
		return domain.Invalid("Biểu mẫu không hợp lệ", nil)
	}
	d, err := s.loadReportPage(ctx, taID, period)
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(c.FormValue("version"))
	if err != nil || version < 0 {
		return domain.Invalid("Biểu mẫu không hợp lệ", map[string]string{"version": "phiên bản không hợp lệ"})
	}
	cat := make([]domain.Indicator, 0, len(d.cat.Indicators))
	for _, ci := range d.cat.Indicators {
		cat = append(cat, ci.Indicator)
	}
	patch, typed := reportPatch(c, u, cat)
	store := s.reportStore()
	// A form rendered with an idempotency key: its repeat (a double click
	// on a slow line) lands on the first submission's answer, not a 409.
	var key *reports.IdemKey
	if k := c.FormValue("idem"); k != "" && c.FormValue("action") == "submit" && u != nil && len(k) <= 200 && utf8.ValidString(k) {
		route := "POST /target-areas/" + itoa(taID) + "/reports/" + period
		key = &reports.IdemKey{UserID: u.ID, Key: "ui:" + k, Route: route, BodyHash: "form"}
	}
	replayed := func() bool {
		res, err := store.Replay(ctx, key)
		return err == nil && res != nil
	}
	if key != nil && replayed() {
		s.flash(c, "ok", s.t(c, "report.submitted"))
		return redirect(c, "/target-areas/"+itoa(taID)+"/reports/"+period)
	}
	refused := func(err error) error {
		fields, summary, ferr := s.formMsgs(c, err)
		if ferr != nil {
			return ferr
		}
		if domain.ErrorCode(err) == domain.ECONFLICT {
			// A stale save has its own wording on this page; any other
			// conflict (a submitted report) says what it is.
			summary = s.t(c, "report.stale")
			if de, ok := err.(*domain.Error); ok && de.Message != "" && !domain.IsStale(err) {
				summary = s.errorMessage(c, de)
			}
		}
		status := http.StatusBadRequest
		switch domain.ErrorCode(err) {
		case domain.ECONFLICT:
			status = http.StatusConflict
		case domain.EFORBIDDEN:
			status = http.StatusForbidden
		}
		return s.renderReport(c, status, d, &reportInput{values: typed, errors: fields, summary: summary})
	}
	r := d.report
	if len(patch) > 2 {
		saved, err := store.SaveValues(ctx, taID, period, version, patch)
		if err != nil {
			if key != nil && domain.ErrorCode(err) == domain.ECONFLICT && replayed() {
				s.flash(c, "ok", s.t(c, "report.submitted"))
				return redirect(c, "/target-areas/"+itoa(taID)+"/reports/"+period)
			}
			return refused(err)
		}
		s.bump(c, saved.TenantID, saved.CampaignID)
		r = saved
	}
	if c.FormValue("action") != "submit" {
		s.flash(c, "ok", s.t(c, "report.saved"))
		return redirect(c, "/target-areas/"+itoa(taID)+"/reports/"+period)
	}
	if r.ID == 0 {
		return refused(domain.Invalid("Báo cáo chưa có số liệu", nil))
	}
	res, err := store.Submit(ctx, r.ID, reports.SubmitInput{Version: &r.Version}, key)
	if err != nil {
		if key != nil && domain.ErrorCode(err) == domain.ECONFLICT && replayed() {
			s.flash(c, "ok", s.t(c, "report.submitted"))
			return redirect(c, "/target-areas/"+itoa(taID)+"/reports/"+period)
		}
		if d2, lerr := s.loadReportPage(ctx, taID, period); lerr == nil {
			d = d2
		}
		return refused(err)
	}
	if !res.Replayed && res.Report != nil {
		s.bump(c, res.Report.TenantID, res.Report.CampaignID)
	}
	s.flash(c, "ok", s.t(c, "report.submitted"))
	return redirect(c, "/target-areas/"+itoa(taID)+"/reports/"+period)
}
