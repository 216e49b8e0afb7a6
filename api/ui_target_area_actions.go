package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/reports"
)

// targetStart marks an approved target area as in progress.
func (s *Server) targetStart(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ta, err := s.targetActionCmd(c.Request().Context(), id, domain.TargetActStart, campaigns.TargetAction{})
	if err != nil {
		return err
	}
	s.bumpCampaign(c, ta.CampaignID)
	s.flash(c, "ok", s.t(c, "ta.start.done", "unit", ta.UnitName))
	return redirect(c, "/target-areas/"+itoa(id))
}

// targetReject refuses a proposed target area with the reason.
func (s *Server) targetReject(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(c.FormValue("comment"))
	ta, err := s.targetActionCmd(c.Request().Context(), id, domain.TargetActReject, campaigns.TargetAction{TargetActionInput: domain.TargetActionInput{Comment: reason}})
	if err != nil {
		fields, summary, ferr := s.formErrors(c, err)
		if ferr != nil {
			return ferr
		}
		msg := fields["comment"]
		if msg == "" {
			msg = summary
		}
		return s.renderTargetArea(c, http.StatusBadRequest, targetForms{rejectReason: reason, rejectErr: msg})
	}
	s.bumpCampaign(c, ta.CampaignID)
	s.flash(c, "ok", s.t(c, "targets.reject.done", "unit", ta.UnitName))
	return redirect(c, "/target-areas/"+itoa(id))
}

// targetProposeExit proposes the exit of a target area (district), through
// the report service, which checks the accepted report of the exit period.
func (s *Server) targetProposeExit(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	evidence := strings.TrimSpace(c.FormValue("evidence"))
	x, err := s.reportStore().ProposeExit(c.Request().Context(), id, reports.ExitProposalInput{Evidence: evidence})
	if err != nil {
		fields, summary, ferr := s.formErrors(c, err)
		if ferr != nil {
			if domain.ErrorCode(err) != domain.ECONFLICT {
				return ferr
			}
			summary = domain.ErrorMessage(err)
		}
		return s.renderTargetArea(c, http.StatusBadRequest, targetForms{exitEvidence: evidence, exitErr: fields["evidence"], exitSum: summary})
	}
	s.bump(c, x.TenantID, x.CampaignID)
	ta, _ := campaigns.FindTargetAreaByID(c.Request().Context(), s.opts.DB, id)
	name := ""
	if ta != nil {
		name = ta.UnitName
	}
	s.flash(c, "ok", s.t(c, "ta.exit.done", "unit", name))
	return redirect(c, "/target-areas/"+itoa(id))
}

// targetDecideExit records the province's decision on an exit proposal.
func (s *Server) targetDecideExit(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	in := targetForms{outcome: c.FormValue("outcome"), number: c.FormValue("decision_number"), date: c.FormValue("decision_date"), reason: strings.TrimSpace(c.FormValue("reason"))}
	dec := domain.ExitDecisionInput{Outcome: in.outcome, Reason: in.reason}
	doc, errs := s.parseDecision(c, in.number, in.date)
	if !doc.IsZero() {
		dec.Decision = doc
	}
	if len(errs) > 0 {
		in.decideErrs, in.decideSum = errs, s.t(c, "form.invalid")
		return s.renderTargetArea(c, http.StatusBadRequest, in)
	}
	x, err := s.reportStore().DecideExit(c.Request().Context(), id, dec)
	if err != nil {
		fields, summary, ferr := s.formErrors(c, err)
		if ferr != nil {
			if domain.ErrorCode(err) != domain.ECONFLICT {
				return ferr
			}
			summary = domain.ErrorMessage(err)
		}
		in.decideErrs, in.decideSum = fields, summary
		return s.renderTargetArea(c, http.StatusBadRequest, in)
	}
	s.bump(c, x.TenantID, x.CampaignID)
	ta, _ := campaigns.FindTargetAreaByID(c.Request().Context(), s.opts.DB, id)
	name := ""
	if ta != nil {
		name = ta.UnitName
	}
	s.flash(c, "ok", s.t(c, "ta.decide.done", "unit", name))
	return redirect(c, "/target-areas/"+itoa(id))
}
