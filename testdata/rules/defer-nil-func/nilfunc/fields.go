package nilfunc

func noopHook() {}

// job's onDone is never set; task's field of the same name always is.
type job struct {
	name   string
	onDone func()
}

type task struct {
	name   string
	onDone func()
}

func newTask(name string, onDone func()) *task {
	if onDone == nil {
		onDone = noopHook
	}
	return &task{name: name, onDone: onDone}
}

func runJob(j *job, work func() error) error {
	defer j.onDone() // want `field onDone of job is never set in package nilfunc`
	return work()
}

// ---- not flagged ----

func (t *task) run(work func() error) error {
	defer t.onDone()
	return work()
}

// A field set through an embedding struct is set on the embedded type.
type hooks struct {
	onStop func()
}

type service struct {
	hooks
	name string
}

func newService(name string) *service {
	s := &service{name: name}
	s.onStop = noopHook
	return s
}

func (s *service) stop() {
	defer s.onStop()
}
