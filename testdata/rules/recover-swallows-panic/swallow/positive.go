package swallow

func bare() {
	defer func() {
		recover() // want `the deferred function literal on line 4 discards the value of recover\(\): the panic vanishes`
	}()
	panic("boom")
}

func blank() {
	defer func() {
		_ = recover() // want `discards the value of recover\(\)`
	}()
}

func emptyIf() {
	defer func() {
		if r := recover(); r != nil { // want `tests the value of recover\(\) and then does nothing with it`
		}
	}()
}

func emptyIfComment() {
	defer func() {
		if r := recover(); r != nil { // want `tests the value of recover\(\)`
			// ignore
		}
	}()
}

func testedDirectly() {
	defer func() {
		if recover() != nil { // want `tests the value of recover\(\)`
			return
		}
	}()
}

func assignedThenIgnored() {
	defer func() {
		r := recover() // want `tests the value of recover\(\)`
		if r != nil {
		}
	}()
}

func assignedBlank() {
	defer func() {
		r := recover() // want `discards the value of recover\(\)`
		_ = r
	}()
}

// A named function deferred directly.
func ignorePanics() {
	recover() // want `the deferred function ignorePanics discards the value of recover\(\)`
}

func usesNamed() {
	defer ignorePanics()
}

type job struct{}

func (j *job) quiet() {
	if r := recover(); r != nil { // want `the deferred function job\.quiet tests the value`
	}
}

func (j *job) run() {
	defer j.quiet()
}

// A literal held by a local variable and deferred through it.
func held() {
	h := func() {
		recover() // want `the deferred h \(the function literal on line 76\) discards the value of recover\(\)`
	}
	defer h()
	panic("boom")
}

// The panic branch is empty; the else (no panic) does something else.
func emptyThenElse(ok *bool) {
	defer func() {
		if r := recover(); r != nil { // want `tests the value of recover\(\)`
		} else {
			*ok = true
		}
	}()
	panic("x")
}

// Stored in a local of the deferred function, then thrown away.
func varAssign() {
	defer func() {
		var r any
		r = recover() // want `discards the value of recover\(\)`
		_ = r
	}()
	panic("x")
}

// Only silenced for the compiler.
func blankInBranch() {
	defer func() {
		if r := recover(); r != nil { // want `tests the value of recover\(\)`
			_ = r
		}
	}()
	panic("x")
}

// Returns early when there was no panic, and ends when there was one.
func nilReturnOnly() {
	defer func() {
		if r := recover(); r == nil { // want `tests the value of recover\(\)`
			return
		}
	}()
	panic("x")
}
