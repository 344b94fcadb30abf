# Every dependency is a Debian 12 package (packaging/setup-debian12.sh).
# Torch is looked up only through its CMake package so that a CUDA-enabled
# LibTorch found via Torch_DIR or CMAKE_PREFIX_PATH is used unchanged.
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs)
find_package(PkgConfig REQUIRED)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
if(MOON_FUZZ)
  return()  # core/ and tests/fuzz need nothing more
endif()
if(MOON_CORE_ONLY)
  find_package(Qt6 REQUIRED COMPONENTS Core Test)  # core/'s tests are Qt Test executables
  return()
endif()
find_package(CLI11 REQUIRED)
find_package(Torch REQUIRED)
# FAISS 1.7.3's CMake package needs OpenMP found first (DESIGN.md §7).
find_package(OpenMP REQUIRED)
find_package(faiss REQUIRED)

if(MOON_BUILD_GUI OR MOON_BUILD_TESTS)
  find_package(Qt6 REQUIRED COMPONENTS Core Gui Widgets Test Svg PrintSupport Concurrent)
endif()
if(MOON_BUILD_GUI)
  find_package(QCustomPlotQt6 REQUIRED)
endif()

# Torch's config exports its flags as a plain variable; wrap them once in a target.
if(NOT TARGET moon_torch)
  add_library(moon_torch INTERFACE)
  target_link_libraries(moon_torch INTERFACE ${TORCH_LIBRARIES})
  target_include_directories(moon_torch SYSTEM INTERFACE ${TORCH_INCLUDE_DIRS})
  separate_arguments(_moon_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
  target_compile_options(moon_torch INTERFACE ${_moon_torch_flags})
endif()
