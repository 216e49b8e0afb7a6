package api

func (s *Server) registerPlanRoutes(map[string]string) {}
func (s *Server) registerCommitteeRoutes()             {}
func (s *Server) registerAttachmentRoutes()            {}
func planSchemas() map[string]any                      { return nil }
func committeeSchemas() map[string]any                 { return nil }
func attachmentSchemas() map[string]any                { return nil }
