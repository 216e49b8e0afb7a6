package api

// registerWebRoutes registers the server-rendered pages.
func (s *Server) registerWebRoutes() {}
