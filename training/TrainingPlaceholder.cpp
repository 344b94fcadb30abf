// Placeholder translation unit so moon_training links before the trainer lands.
namespace moon {
int trainingLibraryVersion() { return 1; }
}  // namespace moon
