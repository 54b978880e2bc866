package fixture

import (
	"log"
	"os"
	"runtime/pprof"
	"strings"
)

// Each profile file is handed to a call that keeps writing to it: it has to stay open until the
// function returns.
func startProfiles(names string, run func()) {
	for _, prof := range strings.Split(names, ",") {
		f, err := os.Create(prof + ".pprof")
		if err != nil {
			log.Print(err)
			continue
		}
		defer f.Close()
		if strings.HasPrefix(prof, "cpu") {
			if err := pprof.StartCPUProfile(f); err != nil {
				log.Print(err)
			}
		}
	}
	run()
	pprof.StopCPUProfile()
}

// The same for a log destination chosen in a loop.
func logToFirst(paths []string) {
	for _, p := range paths {
		f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			continue
		}
		defer f.Close()
		log.SetOutput(f)
		log.Print("started")
		break
	}
}

// A file only written in the iteration is not kept: reported.
func writeEach(paths []string, data []byte) {
	for _, p := range paths {
		f, err := os.Create(p)
		if err != nil {
			continue
		}
		defer f.Close() // want `file f from os\.Create on line \d+ stays open until writeEach returns`
		_, _ = f.Write(data)
	}
}
