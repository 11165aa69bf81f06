package runtime

import "io"

// BuildSpec describes an image build with the classic builder.
type BuildSpec struct {
	Context    io.Reader // a tar of the context directory; see ContextTar
	Dockerfile string    // path inside the context; "Dockerfile" when empty
	Tags       []string
	Labels     map[string]string
	BuildArgs  map[string]string
	NoCache    bool
}

// Progress is one step of an image pull.
type Progress struct {
	Layer   string // layer ID; empty for messages about the whole image
	Status  string // like "Downloading", "Pull complete", "Digest: sha256:…"
	Current int64  // bytes done, when known
	Total   int64  // bytes expected, when known
}

// ProgressSink receives pull progress as it arrives.
type ProgressSink func(Progress)
