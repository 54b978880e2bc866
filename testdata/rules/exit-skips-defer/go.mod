module example.com/exitskipsdefer

go 1.22

require (
	github.com/rs/zerolog v0.0.0
	github.com/sirupsen/logrus v0.0.0
	go.uber.org/zap v0.0.0
)

replace (
	github.com/rs/zerolog => ./third_party/zerolog
	github.com/sirupsen/logrus => ./third_party/logrus
	go.uber.org/zap => ./third_party/zap
)
