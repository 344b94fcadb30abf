# Install layout and the Debian package (`packaging/deb.sh`, or `cpack -G DEB`
# in a build folder). Included from the top-level CMakeLists.txt.
#
# Everything of ours is linked statically into two executables; the package
# depends only on the runtime libraries they load, found by dpkg-shlibdeps.
include(GNUInstallDirs)

install(TARGETS moon RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${MOON_BASH_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME moon)
if(MOON_BUILD_GUI)
  # moon-workbench starts training runs with the `moon` next to it (RunController).
  install(TARGETS moon-workbench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/moon-workbench.desktop
          DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/moon.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME moon-workbench.svg)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/PERFORMANCE.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/moon-workbench)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME moon-workbench)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "MOON Workbench")
set(CPACK_PACKAGE_CONTACT "MOON Workbench maintainers <moon-workbench@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Train, watch and inspect MOON3.0-style product embedding models")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "A native desktop research workbench (Qt 6, LibTorch) for reasoning-aware multimodal\n"
       "product embedding models: launch and monitor training runs, compare a query with its\n"
       "match and a near-duplicate (generated reasoning traces, attributes, attention heatmaps,\n"
       "similarities), evaluate retrieval, and export figures and embeddings. Includes the\n"
       "`moon` command-line tool.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # moon-workbench_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://arxiv.org/abs/2604.00513")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps sees linked libraries only. LibTorch's BLAS is the libblas.so.3
# alternative: the threaded OpenBLAS provides it at the speed PERFORMANCE.md measured.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-pthread")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-qpa-plugins, bash-completion")
include(CPack)
