// Package deploy holds what an operator installs chuyenhoa with — the
// Dockerfile, the compose file, the Kubernetes manifests, the systemd unit,
// the backup and restore scripts and the Prometheus alerts — and the tests
// that keep them true: every manifest parses, every variable it sets exists
// in cmd/chuyenhoa/config, every probe points at a route of the server, the
// Dockerfile's build line builds a static, stamped binary, two replicas
// starting together migrate once, and a backup restores into a database the
// service answers the same data from. It has no code of its own; README.md
// is the operator's guide.
package deploy
