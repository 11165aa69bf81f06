package state

import "errors"

// Sentinels callers match with errors.Is; the wrapping error names the object.
var (
	// ErrAppExists: an app of that name is already recorded.
	ErrAppExists = errors.New("app already exists")
	// ErrAppNotFound: no app of that name.
	ErrAppNotFound = errors.New("app not found")
	// ErrOrgNotFound: no organization of that slug.
	ErrOrgNotFound = errors.New("organization not found")
	// ErrIPNotFound: the address is not assigned to the app.
	ErrIPNotFound = errors.New("address not assigned to this app")
	// ErrMachineNotFound: no machine of that ID in the app.
	ErrMachineNotFound = errors.New("machine not found")
	// ErrLocked: another process holds the database (a running agent).
	ErrLocked = errors.New("state database is in use by another hangar agent")
	// ErrInconsistent: Check found records that disagree with each other.
	ErrInconsistent = errors.New("state is inconsistent")
)

// notFound names the missing object in words ("app ghost not found") and matches its sentinel.
type notFound struct {
	what, name string
	sentinel   error
}

func (e *notFound) Error() string        { return e.what + " " + e.name + " not found" }
func (e *notFound) Is(target error) bool { return target == e.sentinel }

func appNotFound(name string) error { return &notFound{"app", name, ErrAppNotFound} }
func orgNotFound(slug string) error { return &notFound{"organization", slug, ErrOrgNotFound} }

func machineNotFound(id string) error { return &notFound{"machine", id, ErrMachineNotFound} }
