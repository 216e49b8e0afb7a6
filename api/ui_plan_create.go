package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/store/campaigns"
)

// planCreate starts the caller's unit's draft plan for a target area,
// with its title; objectives and tasks are then added on the plan page.
func (s *Server) planCreate(c echo.Context) error {
	taID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	title := strings.TrimSpace(c.FormValue("title"))
	p, err := s.createPlanCmd(c.Request().Context(), campaigns.NewPlan{TargetAreaID: taID, Title: title})
	if err != nil {
		fields, summary, ferr := s.formMsgs(c, err)
		if ferr != nil {
			return ferr
		}
		msg := s.fieldMessage(c, s.t(c, "plan.field.title"), fields["title"])
		return s.renderTargetArea(c, http.StatusBadRequest, targetForms{planTitle: title, planTitleErr: msg, planSum: summary})
	}
	s.flash(c, "ok", s.t(c, "plan.created"))
	return redirect(c, "/plans/"+itoa(p.ID))
}
