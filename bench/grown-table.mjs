export function renderGrown() {
  return {};
}
