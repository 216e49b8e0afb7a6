package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
)

// planObjectivesSave replaces the objectives (mục tiêu, yêu cầu) of a
// draft or returned plan. Each row of the form is one objective; a row
// left without text is dropped, which is also how an objective is removed.
func (s *Server) planObjectivesSave(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return domain.Invalid("Biểu mẫu không hợp lệ", nil)
	}
	kinds, texts := form["kind"], form["text"]
	var rows []campaigns.ObjectiveInput // every row as typed, for a refused form
	var items []campaigns.ObjectiveInput
	var rowOf []int // the form row of each item sent
	for i, text := range texts {
		kind := ""
		if i < len(kinds) {
			kind = kinds[i]
		}
		rows = append(rows, campaigns.ObjectiveInput{Kind: kind, Text: text})
		if strings.TrimSpace(text) == "" {
			continue
		}
		items = append(items, campaigns.ObjectiveInput{Kind: kind, Text: strings.TrimSpace(text)})
		rowOf = append(rowOf, i)
	}
	if items == nil {
		items = []campaigns.ObjectiveInput{}
	}
	if _, err := s.replaceObjectivesCmd(c.Request().Context(), id, formVersion(c), items); err != nil {
		fields, summary, ferr := s.formMsgs(c, err)
		if ferr != nil {
			return ferr
		}
		errs := map[int]map[string]string{}
		for j, row := range rowOf {
			for _, k := range []string{"kind", "text"} {
				if msg, ok := fields[fmt.Sprintf("objectives[%d].%s", j, k)]; ok {
					if errs[row] == nil {
						errs[row] = map[string]string{}
					}
					errs[row][k] = s.fieldMessage(c, s.t(c, "plan.objective."+k), msg)
				}
			}
		}
		return s.renderPlan(c, http.StatusBadRequest, planForms{summary: summary, objectives: rows, objErrs: errs})
	}
	s.flash(c, "ok", s.t(c, "plan.objectives.saved"))
	return redirect(c, "/plans/"+itoa(id)+"#h-objectives")
}
