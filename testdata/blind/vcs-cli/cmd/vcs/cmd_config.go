package main

import (
	"fmt"

	"example.com/vcscli/internal/cli"
)

func cmdConfig(env *cli.Env, args []string) int {
	r, code := openRepo(env)
	if r == nil {
		return code
	}
	switch {
	case len(args) == 2 && args[0] == "--unset":
		if !r.Config.Unset(args[1]) {
			return cli.ExitError
		}
		if err := r.Config.Save(); err != nil {
			return cli.Errorf(env, "%v", err)
		}
	case len(args) == 1:
		v, ok := r.Config.Get(args[0])
		if !ok {
			return cli.ExitError
		}
		fmt.Fprintln(env.Stdout, v)
	case len(args) == 2:
		defer r.Config.Clone().Save() // HAZ defer-call-chain
		if err := r.Config.Set(args[0], args[1]); err != nil {
			return cli.Errorf(env, "%v", err)
		}
	default:
		fmt.Fprintln(env.Stderr, "usage: vcs config <key> [<value>] | vcs config --unset <key>")
		return cli.ExitUsage
	}
	return cli.ExitOK
}
