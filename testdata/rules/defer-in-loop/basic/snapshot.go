package fixture

import (
	"os"
	"strings"
)

type output struct{ Lvl int }

type env struct{ Output output }

func (e *env) setLevel(name string) {
	if strings.EqualFold(name, "debug") {
		e.Output.Lvl = 0
	}
}

var verbose bool

// Each argument may set the level for what runs after the loop; the deferred literal takes a
// snapshot of the level as its argument and puts it back when the function returns.
func (e *env) handle(args []string) int {
	for _, a := range args {
		defer func(old int) {
			e.Output.Lvl = old
		}(e.Output.Lvl)
		e.setLevel(a)
	}
	return e.Output.Lvl
}

// The same with the snapshot in a variable of the iteration, restoring a package variable.
func withVerbose(names []string) int {
	n := 0
	for _, name := range names {
		if name == "" {
			continue
		}
		saved := verbose
		defer func() { verbose = saved }()
		verbose = strings.HasPrefix(name, "v")
		n++
	}
	return n
}

// A snapshot of something else is no restore of the target: reported.
func (e *env) handleOther(args []string, base int) int {
	for _, a := range args {
		defer func(old int) { // want `the deferred func\(\) \{\.\.\.\}\(\) runs only when env\.handleOther returns`
			e.Output.Lvl = old
		}(base)
		e.setLevel(a)
	}
	return e.Output.Lvl
}

var secretEnvs = []string{"API_TOKEN", "DB_PASSWORD"}

// Save through a getter, restore through a setter: each secret is hidden while the environment
// is read and put back when the function returns.
func publicEnviron(environ func() []string) []string {
	for _, name := range secretEnvs {
		defer func(name, value string) {
			if value != "" {
				os.Setenv(name, value)
			}
		}(name, os.Getenv(name))
		os.Unsetenv(name)
	}
	return environ()
}

// A literal that does more than set: reported.
func publicEnvironLogged(environ func() []string, log func(string)) []string {
	for _, name := range secretEnvs {
		defer func(name, value string) { // want `runs only when publicEnvironLogged returns`
			log("restoring " + name)
			os.Setenv(name, value)
		}(name, os.Getenv(name))
		os.Unsetenv(name)
	}
	return environ()
}
