package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/uptrace/bun"

	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/cmd/chuyenhoa/config"
	"chuyenhoa/store"
	"chuyenhoa/tenants"
)

// userCmd bootstraps users from the server's shell: the first platform
// admin is made this way, everyone else through the API.
func userCmd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: chuyenhoa user create --username NAME [--unit CODE] --role ROLE [--full-name NAME] --password-stdin")
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	username := fs.String("username", "", "login name (a-z, 0-9, . _ -)")
	unitCode := fs.String("unit", "", "official code of the home unit (omit for admin)")
	var roles multiFlag
	fs.Var(&roles, "role", "role: province, district, ward, police or admin (repeatable)")
	fullName := fs.String("full-name", "", "full name (defaults to the username)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if !*pwStdin {
		return fmt.Errorf("--password-stdin is required: passwords are never taken from the command line")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return err
	}
	password := strings.TrimRight(line, "\r\n")
	if *fullName == "" {
		*fullName = *username
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := store.Migrate(ctx, db); err != nil {
		return err
	}
	enf, err := authz.New(ctx, db)
	if err != nil {
		return err
	}
	ids := &identity.Service{DB: db, Grants: enf, Hasher: identity.NewHasher(identity.DefaultParams, 0)}
	ctx = tenants.NewContextWithScope(ctx, tenants.Scope{All: true})
	var u *identity.User
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var unit *tenants.Unit
		if *unitCode != "" {
			if unit, err = tenants.FindUnitByCode(ctx, tx, *unitCode); err != nil {
				return fmt.Errorf("--unit %s: %w", *unitCode, err)
			}
		}
		u, err = ids.CreateUserTx(ctx, tx, identity.NewUser{Username: *username, FullName: *fullName, Roles: roles, Password: password}, unit)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created user %s (id %d) with roles %s\n", u.Username, u.ID, strings.Join(u.Roles, ", "))
	return nil
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
