package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/store/campaigns"
)

// formVersion reads the hidden version field a form was rendered with; a
// missing or garbled one is left out, and the service then asks for it.
func formVersion(c echo.Context) *int {
	n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("version")))
	if err != nil {
		return nil
	}
	return &n
}

// planHeadingSave changes the heading of a draft or returned plan: its
// title, number and signer.
func (s *Server) planHeadingSave(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	head := map[string]string{}
	for _, k := range []string{"title", "number", "signer"} {
		head[k] = strings.TrimSpace(c.FormValue(k))
	}
	title, number, signer := head["title"], head["number"], head["signer"]
	upd := campaigns.PlanUpdate{Version: formVersion(c), Title: &title, Number: &number, Signer: &signer}
	if _, err := s.updatePlanCmd(c.Request().Context(), id, upd); err != nil {
		fields, summary, ferr := s.formMsgs(c, err)
		if ferr != nil {
			return ferr
		}
		labels := map[string]string{"title": s.t(c, "plan.field.title"), "number": s.t(c, "plan.field.number"), "signer": s.t(c, "plan.field.signer")}
		return s.renderPlan(c, http.StatusBadRequest, planForms{summary: summary, heading: head, headErrs: s.fieldMessages(c, fields, labels)})
	}
	s.flash(c, "ok", s.t(c, "plan.saved"))
	return redirect(c, "/plans/"+itoa(id))
}
