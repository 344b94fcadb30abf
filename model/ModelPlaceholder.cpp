// Placeholder translation unit so moon_model links before the model lands.
namespace moon {
int modelLibraryVersion() { return 1; }
}  // namespace moon
