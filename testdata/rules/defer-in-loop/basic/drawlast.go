package fixture

import "os"

type widget interface {
	HasFocus() bool
	Draw(out *os.File)
}

// The focused widget is drawn last, over the others: the iteration draws now or postpones the
// same call to the return, an ordering choice.
func drawAll(items []widget, out *os.File) {
	for _, item := range items {
		if item.HasFocus() {
			defer item.Draw(out)
		} else {
			item.Draw(out)
		}
	}
}

// A release postponed on one branch is still a release held across iterations: reported.
func closeSome(paths []string, keep func(string) bool) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		if keep(p) {
			defer f.Close() // want `file f from os\.Open on line \d+ stays open until closeSome returns`
		} else {
			f.Close()
		}
	}
}
