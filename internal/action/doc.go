// Package action holds the test of the composite GitHub Action defined in
// action.yml at the repository root: it runs the action's shell steps, as
// written, against the commands built from this tree, a fake GitHub on
// loopback and fake GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_PATH
// files, so that the action cannot rot unnoticed.
package action
